import { css } from 'lit';

/**
 * Design tokens: every `--ringlet-*` custom property a page may set, with light and dark defaults
 * (dark follows `prefers-color-scheme`). Components read the private `--_*` copies.
 */
export const themeStyles = css`
  :host {
    --_accent: var(--ringlet-accent, #2563eb);
    --_accent-text: var(--ringlet-accent-text, #ffffff);
    --_success: var(--ringlet-success, #15803d);
    --_danger: var(--ringlet-danger, #dc2626);
    --_on-color: var(--ringlet-on-color, #ffffff);
    --_surface: var(--ringlet-surface, #ffffff);
    --_surface-raised: var(--ringlet-surface-raised, #f4f4f5);
    --_text: var(--ringlet-text, #18181b);
    --_text-muted: var(--ringlet-text-muted, #52525b);
    --_border: var(--ringlet-border, #d4d4d8);
    --_focus-ring: var(--ringlet-focus-ring, #2563eb);
    --_radius: var(--ringlet-radius, 14px);
    --_font: var(--ringlet-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', sans-serif);
    --_video-background: var(--ringlet-video-background, #111114);
    --_shadow: var(--ringlet-shadow, 0 10px 30px rgb(0 0 0 / 0.18));
    font-family: var(--_font);
    color: var(--_text);
    -webkit-tap-highlight-color: transparent;
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_surface: var(--ringlet-surface, #18181b);
      --_surface-raised: var(--ringlet-surface-raised, #27272a);
      --_text: var(--ringlet-text, #f4f4f5);
      --_text-muted: var(--ringlet-text-muted, #a1a1aa);
      --_border: var(--ringlet-border, #3f3f46);
      --_focus-ring: var(--ringlet-focus-ring, #93c5fd);
      --_shadow: var(--ringlet-shadow, 0 10px 30px rgb(0 0 0 / 0.5));
    }
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  [hidden] {
    display: none !important;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;

/** Pill buttons with 44 px touch targets and a visible focus ring. */
export const buttonStyles = css`
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5em;
    min-height: 44px;
    min-width: 44px;
    padding: 0 1.1em;
    border: 1px solid transparent;
    border-radius: 999px;
    font: inherit;
    font-size: 0.95rem;
    font-weight: 600;
    line-height: 1;
    cursor: pointer;
    color: var(--_text);
    background: var(--_surface-raised);
    /* No opacity transition: a control that just became enabled must be fully legible at once. */
    transition:
      background-color 120ms ease,
      transform 120ms ease;
  }
  .button:hover:not(:disabled, [aria-disabled='true']) {
    filter: brightness(1.08);
  }
  .button:active:not(:disabled, [aria-disabled='true']) {
    transform: scale(0.97);
  }
  .button:focus-visible {
    outline: 3px solid var(--_focus-ring);
    outline-offset: 2px;
  }
  .button:disabled,
  .button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.55;
  }
  .button svg {
    width: 1.25em;
    height: 1.25em;
    flex: none;
  }
  .button--accent {
    color: var(--_accent-text);
    background: var(--_accent);
  }
  .button--success {
    color: var(--_on-color);
    background: var(--_success);
  }
  .button--danger {
    color: var(--_on-color);
    background: var(--_danger);
  }
  @media (prefers-reduced-motion: reduce) {
    .button {
      transition: none;
    }
  }
`;
