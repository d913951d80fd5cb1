import { CallEndReason, EndedBy } from '../../engine/call-end-reason.js';
import type { CallOutcome } from '../../engine/room-session.js';
import type { RingletStrings } from '../../i18n/en.js';

/** The plain-words sentence for how a call ended. */
export function outcomeMessage(outcome: CallOutcome, strings: RingletStrings): string {
  if (outcome.error) return strings.errors[outcome.error.code];
  const name = outcome.peer?.userName ?? null;
  const { outcome: text } = strings;
  if (outcome.accepted) {
    if (outcome.reason === CallEndReason.Disconnected) return text.lostConnection;
    return outcome.by === EndedBy.Them ? text.theyHungUp(name) : text.ended;
  }
  if (outcome.direction === 'outgoing') {
    switch (outcome.reason) {
      case CallEndReason.Declined:
        return text.declined(name);
      case CallEndReason.Busy:
        return text.busy(name);
      case CallEndReason.Timeout:
        return text.timeout(name);
      case CallEndReason.Unavailable:
        return text.unavailable(name);
      default:
        return text.youCancelled;
    }
  }
  switch (outcome.reason) {
    case CallEndReason.Declined:
      return text.youDeclined;
    case CallEndReason.Timeout:
      return text.missed(name);
    case CallEndReason.AnsweredElsewhere:
      return text.answeredElsewhere;
    default:
      return text.callerCancelled(name);
  }
}
