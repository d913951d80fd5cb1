import { css } from 'lit';

export const videoCallButtonStyles = css`
  :host {
    display: block;
    min-width: 0;
    max-width: 28rem;
  }

  .base {
    position: relative;
    display: grid;
    gap: 0.75rem;
    padding: 1rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
  }

  .members {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .member {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    padding: 0.3rem 0.7rem 0.3rem 0.5rem;
    border-radius: 999px;
    background: var(--_surface-raised);
    font-size: 0.875rem;
    /* A long name wraps inside its chip rather than widening the card. */
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .presence-dot {
    width: 0.6rem;
    height: 0.6rem;
    border-radius: 50%;
    background: var(--_success);
    flex: none;
  }
  .member[data-status='in-call'] .presence-dot {
    background: var(--_danger);
  }
  /* A call rings between you and this member: a pulsing dot, green for "calling you". */
  .member[data-ringing] .presence-dot {
    background: var(--_accent);
    animation: ringlet-pulse 1.2s ease-in-out infinite;
  }
  .member[data-ringing='calling-you'] .presence-dot {
    background: var(--_success);
  }
  .member-status {
    color: var(--_text-muted);
  }
  .empty {
    margin: 0;
    color: var(--_text-muted);
    font-size: 0.875rem;
  }

  .status {
    margin: 0;
    min-height: 1.25em;
    font-size: 0.95rem;
    color: var(--_text-muted);
  }
  /* Empty, the live region stays in place (for screen readers) but takes no room. */
  .status:empty {
    position: absolute;
  }
  :host([state='error']) .status {
    color: var(--_danger);
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  .actions .button {
    flex: 1 1 auto;
  }

  .incoming {
    display: grid;
    gap: 0.75rem;
    padding: 0.9rem;
    border-radius: calc(var(--_radius) - 4px);
    background: var(--_surface-raised);
    animation: ringlet-ring-glow 1.5s ease-in-out infinite;
  }
  .incoming-title {
    display: flex;
    align-items: center;
    gap: 0.6rem;
    margin: 0;
    font-size: 1.05rem;
    font-weight: 600;
  }
  .incoming-title svg {
    width: 1.4rem;
    height: 1.4rem;
    color: var(--_success);
    animation: ringlet-ring-shake 1.5s ease-in-out infinite;
  }
  .hint {
    margin: 0;
    font-size: 0.8rem;
    color: var(--_text-muted);
  }

  .ringing-out {
    display: inline-block;
    width: 0.6rem;
    height: 0.6rem;
    margin-inline-end: 0.5rem;
    border-radius: 50%;
    background: var(--_accent);
    animation: ringlet-pulse 1.2s ease-in-out infinite;
  }

  @keyframes ringlet-ring-glow {
    0%,
    100% {
      box-shadow: 0 0 0 0 color-mix(in srgb, var(--_success) 45%, transparent);
    }
    50% {
      box-shadow: 0 0 0 6px color-mix(in srgb, var(--_success) 0%, transparent);
    }
  }
  @keyframes ringlet-ring-shake {
    0%,
    50%,
    100% {
      transform: rotate(0);
    }
    10%,
    30% {
      transform: rotate(-14deg);
    }
    20%,
    40% {
      transform: rotate(14deg);
    }
  }
  @keyframes ringlet-pulse {
    0%,
    100% {
      opacity: 1;
      transform: scale(1);
    }
    50% {
      opacity: 0.35;
      transform: scale(0.7);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .incoming,
    .incoming-title svg,
    .member[data-ringing] .presence-dot,
    .ringing-out {
      animation: none;
    }
  }
`;
