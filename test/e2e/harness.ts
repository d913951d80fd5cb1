/**
 * What the end-to-end tests use: a headless Chromium, the real signaling service plus a host site on another
 * origin, one page per person, and checks that look at the browser (media, connections, errors), never at
 * the widget's internals.
 */
export { launchBrowser, CHROME_PATH } from './support/browser.js';
export { startService, type RunningService } from './support/service.js';
export {
  startHostSite,
  hostPageHtml,
  strictCspFor,
  type HostPageSpec,
  type HostSite,
} from './support/host-site.js';
export { newUserContext, openUserPage, PAGE_PROBE, watchPage, type UserPage } from './support/user-page.js';
export {
  startScenario,
  closeScenarios,
  restartService,
  type Scenario,
  type ScenarioOptions,
} from './support/scenario.js';
export { startTurnServer, TURNSERVER_PATH, type TurnServer } from './support/turn-server.js';
export { callButton, callWindow, control, type ControlName } from './support/ui.js';
export {
  assertNoProblems,
  mediaReleased,
  mediaReport,
  remoteVideoPlays,
  usedMedia,
  widgetEventDetails,
  widgetEvents,
  type WidgetEvent,
} from './support/checks.js';
export { accessibilityViolations } from './support/axe.js';
export { hangUpEndsItOnBothSides, mediaFlows } from './support/call-steps.js';
export { evaluateWithoutGesture, waitForTextWithoutGesture } from './support/passive.js';
export {
  framesDecoded,
  framesGrowBeyond,
  selectedCandidatePairs,
  usesCandidatePair,
} from './support/media-path.js';
