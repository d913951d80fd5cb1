import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Re-renders its host every `intervalMs` while running (e.g. a call duration); stops with the host. */
export class TickerController implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly intervalMs = 1_000,
  ) {
    host.addController(this);
  }

  setRunning(running: boolean): void {
    if (running === this.running) return;
    this.running = running;
    clearInterval(this.timer);
    this.timer = running ? setInterval(() => this.host.requestUpdate(), this.intervalMs) : undefined;
  }

  hostDisconnected(): void {
    this.setRunning(false);
  }
}
