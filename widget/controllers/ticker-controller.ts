import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Re-renders its host every `intervalMs` while running (e.g. a call duration); stops with the host. */
export class TickerController implements ReactiveController {
  #timer: ReturnType<typeof setInterval> | undefined;
  #running = false;
  readonly #host: ReactiveControllerHost;
  readonly #intervalMs: number;

  constructor(host: ReactiveControllerHost, intervalMs = 1_000) {
    this.#host = host;
    this.#intervalMs = intervalMs;
    host.addController(this);
  }

  setRunning(running: boolean): void {
    if (running === this.#running) return;
    this.#running = running;
    clearInterval(this.#timer);
    this.#timer = running ? setInterval(() => this.#host.requestUpdate(), this.#intervalMs) : undefined;
  }

  hostDisconnected(): void {
    this.setRunning(false);
  }
}
