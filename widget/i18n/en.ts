import type { RingletErrorCode } from '../engine/ringlet-error.js';

/**
 * Every English string of the widget. English is the typed source of truth: another language is
 * an object of type {@link RingletStrings}.
 */
export const en = {
  // Accessible names fixed by the public contract.
  call: 'Call',
  callPerson: (name: string) => `Call ${name}`,
  accept: 'Accept',
  decline: 'Decline',
  cancel: 'Cancel',
  mute: 'Mute',
  unmute: 'Unmute',
  cameraOff: 'Turn camera off',
  cameraOn: 'Turn camera on',
  endCall: 'End call',

  // Presence.
  membersLabel: 'People in this room',
  nobodyElse: 'No one else is here yet.',
  available: 'available',
  inCall: 'in a call',
  /** The member whose call rings for you. */
  callingYou: 'calling you',
  /** The member your call rings. */
  ringing: 'ringing',

  // Connection to the signaling service.
  connectingToService: 'Connecting to the call service…',
  reconnectingToService: 'Lost the connection to the call service. Reconnecting…',
  notConfigured: 'This call button needs a room and a user id.',

  // Ringing.
  calling: (name: string | null) => (name ? `Calling ${name}…` : 'Calling everyone in the room…'),
  incomingTitle: 'Incoming video call',
  incomingFrom: (name: string) => `${name} is calling you`,
  soundBlocked: 'Sound is off until you interact with the page.',

  // In a call.
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  inCallWith: (name: string) => `In a call with ${name}`,
  callWindowLabel: (name: string) => `Video call with ${name}`,
  someone: 'someone',
  duration: 'Call duration',
  yourVideo: 'Your camera (preview)',
  theirVideo: (name: string) => `${name}'s video`,
  theirCameraOff: (name: string) => `${name}'s camera is off`,
  theirMicOff: (name: string) => `${name} is muted`,
  yourMicOff: 'You are muted',
  noCamera: 'No camera: you are on audio only',
  receiveOnly: "No camera or microphone: you can see and hear them, they can't see or hear you",
  cameraStopped: 'Your camera stopped. Turn it back on when it is ready.',
  microphoneStopped: 'Your microphone stopped.',
  tapToHear: 'Tap to hear',
  soundBlockedInCall: 'Your browser started the call without sound.',

  // How a call ended, in plain words.
  outcome: {
    declined: (name: string | null) => (name ? `${name} declined the call.` : 'The call was declined.'),
    busy: (name: string | null) =>
      name ? `${name} is busy in another call.` : 'Everyone is busy in another call.',
    timeout: (name: string | null) => (name ? `${name} didn't answer.` : 'No one answered.'),
    unavailable: (name: string | null) =>
      name ? `${name} is not available right now.` : 'No one is available right now.',
    youCancelled: 'Call cancelled.',
    youDeclined: 'You declined the call.',
    missed: (name: string | null) => (name ? `Missed call from ${name}.` : 'Missed call.'),
    callerCancelled: (name: string | null) =>
      name ? `${name} hung up before you answered.` : 'The caller hung up.',
    answeredElsewhere: 'The call was answered somewhere else.',
    ended: 'Call ended.',
    theyHungUp: (name: string | null) => (name ? `${name} ended the call.` : 'The call ended.'),
    lostConnection: 'The call ended: the connection was lost.',
  },

  // Errors, by code, in plain words.
  errors: {
    'permission-denied':
      'Camera and microphone access is blocked. Allow it in your browser settings and try again.',
    'no-device': 'No camera or microphone was found.',
    'device-busy': 'Your camera or microphone is in use by another app, or not working.',
    overconstrained: "Your camera can't provide the requested video settings.",
    'media-unsupported': "This browser can't make video calls here (it needs a secure https page).",
    'connection-failed': "Couldn't connect the call. Check your network and try again.",
    'connection-lost': "The call dropped: the connection was lost and couldn't be restored.",
    'relay-refused': "Couldn't connect the call: the relay server refused the credentials.",
    'relay-unreachable': "Couldn't connect the call: the relay server can't be reached.",
    'service-unreachable': "Can't reach the call service.",
    timeout: "The call service didn't answer in time. Try again.",
    'not-configured': 'This call button needs a room and a user id.',
    'invalid-payload': 'Something went wrong placing the call.',
    'token-missing': 'You need to be signed in to make calls.',
    'token-expired': 'Your session has expired. Reload the page to keep calling.',
    'token-invalid': "You couldn't be signed in to the call service.",
    'invalid-identity': 'Your user id or name is not valid for calls.',
    forbidden: "You don't have access to this room.",
    'not-in-room': "You're not connected to this room yet.",
    'room-full': 'This room is full.',
    'too-many-rooms': "You're in too many rooms at once.",
    'identity-mismatch': 'Your user id does not match your sign-in.',
    'no-callee': 'There is no one to call.',
    'self-call': "You can't call yourself.",
    'already-in-call': "You're already in a call.",
    'call-not-found': 'That call is over.',
    'not-ringing': 'That call is no longer ringing.',
    'ambiguous-call': 'Several calls are ringing.',
    'call-not-active': "The call isn't connected yet.",
    'unknown-recipient': 'That person is not in the call.',
    'rate-limited': 'Too many attempts. Wait a moment and try again.',
    unavailable: 'The call service is busy. Try again in a moment.',
    internal: 'Something went wrong on the call service.',
  } satisfies Record<RingletErrorCode, string>,
};

/** The shape every translation of the widget has. */
export type RingletStrings = typeof en;
