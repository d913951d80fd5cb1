import { RingletEvent, type RingletCallEvent } from '../../widget/events/ringlet-events.js';

export interface RingletEventRecorder {
  events: CustomEvent<unknown>[];
  /** The names of the events so far, in order. */
  names(): string[];
  /** The first call event (any `ringlet-*` but `ringlet-error`) of that name. */
  callEvent(name: Exclude<RingletEvent, 'ringlet-error'>): RingletCallEvent | undefined;
  stop(): void;
}

/** Records every `ringlet-*` event that reaches `document` (they bubble and are composed). */
export function recordRingletEvents(): RingletEventRecorder {
  const events: CustomEvent<unknown>[] = [];
  const listener = (event: Event) => events.push(event as CustomEvent<unknown>);
  const names = Object.values(RingletEvent);
  for (const name of names) document.addEventListener(name, listener);
  return {
    events,
    names: () => events.map((event) => event.type),
    callEvent: (name) => events.find((event) => event.type === name) as RingletCallEvent | undefined,
    stop: () => {
      for (const name of names) document.removeEventListener(name, listener);
    },
  };
}

/** Records every value an element's attribute takes. */
export function recordAttribute(element: Element, name: string): { values: (string | null)[]; stop(): void } {
  const values: (string | null)[] = [element.getAttribute(name)];
  const observer = new MutationObserver(() => {
    const value = element.getAttribute(name);
    if (values.at(-1) !== value) values.push(value);
  });
  observer.observe(element, { attributes: true, attributeFilter: [name] });
  return { values, stop: () => observer.disconnect() };
}
