import { css } from 'lit';

export const videoCallWindowStyles = css`
  /*
   * Fits its container: never wider than it, free to shrink in grid and flex parents (min-width: 0), and its
   * own width is the container its controls query. Inline-size containment keeps the content from widening
   * the element; where a parent sizes it by its content (a flex row, an inline-block), it asks for 30rem.
   */
  :host {
    display: block;
    min-width: 0;
    max-width: 100%;
    container: ringlet-window / inline-size;
    contain-intrinsic-inline-size: 30rem;
  }
  :host([state='idle']) {
    display: none;
  }

  .base {
    display: flex;
    flex-direction: column;
    overflow: hidden;
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    border: 1px solid var(--_border);
    outline: none;
  }
  .base:focus-visible {
    outline: 3px solid var(--_focus-ring);
    outline-offset: 2px;
  }

  /* Overlay: a modal dialog, full screen on phones, a centred card on larger screens. */
  dialog.base {
    width: 100vw;
    height: 100dvh;
    max-width: none;
    max-height: none;
    margin: 0;
    padding: 0;
    border: 0;
    border-radius: 0;
    box-shadow: var(--_shadow);
  }
  dialog.base:not([open]) {
    display: none;
  }
  dialog.base::backdrop {
    background: rgb(0 0 0 / 0.6);
  }
  @media (min-width: 700px) {
    dialog.base {
      --_dialog-width: min(960px, 92vw);
      width: var(--_dialog-width);
      /* A 16:9 video area plus the header and the controls, never taller than the screen. */
      height: min(92dvh, calc(var(--_dialog-width) * 9 / 16 + 7.5rem));
      margin: auto;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
    }
  }

  .header {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 1rem;
    padding: 0.75rem 1rem;
  }
  .peer-name {
    margin: 0;
    font-size: 1rem;
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .duration {
    font-variant-numeric: tabular-nums;
    color: var(--_text-muted);
    font-size: 0.9rem;
  }

  .stage {
    position: relative;
    flex: 1 1 auto;
    min-height: 14rem;
    aspect-ratio: var(--ringlet-video-aspect-ratio, 16 / 9);
    background: var(--_video-background);
    overflow: hidden;
  }
  dialog .stage {
    aspect-ratio: auto;
    min-height: 0;
  }
  video {
    display: block;
    background: var(--_video-background);
  }
  .remote-video {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: var(--ringlet-video-fit, contain);
  }
  @media (max-width: 699px) {
    /* Full screen on a phone: fill it, as phone calls do. */
    dialog .remote-video {
      object-fit: var(--ringlet-video-fit, cover);
    }
  }
  .local-video {
    position: absolute;
    right: 0.75rem;
    bottom: 0.75rem;
    width: clamp(5.5rem, 24%, 12rem);
    aspect-ratio: 4 / 3;
    object-fit: cover;
    border-radius: calc(var(--_radius) - 6px);
    border: 2px solid rgb(255 255 255 / 0.8);
    box-shadow: 0 4px 14px rgb(0 0 0 / 0.35);
    /* A mirror: what people expect from their own camera. */
    transform: scaleX(-1);
  }
  .local-video[data-off] {
    visibility: hidden;
  }

  .overlay-message {
    position: absolute;
    inset: 0;
    display: grid;
    place-content: center;
    justify-items: center;
    gap: 0.75rem;
    padding: 1rem;
    text-align: center;
    color: #ffffff;
    background: var(--_video-background);
  }
  .overlay-message p {
    margin: 0;
  }
  .avatar {
    display: grid;
    place-items: center;
    width: 4.5rem;
    height: 4.5rem;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_accent-text);
    font-size: 1.8rem;
    font-weight: 600;
  }
  .spinner {
    width: 2.25rem;
    height: 2.25rem;
    border: 3px solid rgb(255 255 255 / 0.25);
    border-top-color: #ffffff;
    border-radius: 50%;
    animation: ringlet-spin 0.9s linear infinite;
  }
  @keyframes ringlet-spin {
    to {
      transform: rotate(360deg);
    }
  }

  .badges {
    position: absolute;
    left: 0.75rem;
    top: 0.75rem;
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    margin: 0;
    padding: 0.3rem 0.65rem;
    border-radius: 999px;
    background: rgb(0 0 0 / 0.65);
    color: #ffffff;
    font-size: 0.8rem;
  }
  .badge svg {
    width: 1rem;
    height: 1rem;
  }

  .controls {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 0.5rem;
    padding: 0.75rem;
  }
  /* Narrow windows (phones, sidebars): the phone-call layout, icon above a one-line label, three buttons
     sharing the row (a longer label takes what it needs). Touch targets stay at least 44 px. */
  @container ringlet-window (max-width: 479px) {
    .controls {
      gap: 0.375rem;
      padding: 0.5rem;
    }
    .controls .button {
      flex: 1 1 0;
      flex-direction: column;
      gap: 0.3rem;
      min-width: min-content;
      min-height: 60px;
      padding: 0.45rem 0.25rem;
      border-radius: calc(var(--_radius) + 2px);
      font-size: 0.75rem;
      line-height: 1.15;
      white-space: nowrap;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 3s;
    }
  }
`;
