// The demo page at `/`: without query parameters it offers "Open as Alice" / "Open as Bob" for a room;
// with `?user=&name=&room=` it places <video-call-button> and <video-call-window> for that user. It also fills
// the embed snippet with this service's real origin. Loaded before /widget.js (both deferred), so the
// elements placed here upgrade as soon as the widget defines them.

/** Ids the service accepts for rooms and users (PROTOCOL.md). */
const ID_PATTERN = /^[A-Za-z0-9_.:@-]{1,64}$/;
const DEFAULT_ROOM = 'demo';
const PEOPLE = {
  alice: { id: 'alice', name: 'Alice' },
  bob: { id: 'bob', name: 'Bob' },
};
/** The widget's DOM events worth showing in the log (they bubble and are composed). */
const WIDGET_EVENTS = [
  'ringlet-outgoing',
  'ringlet-incoming',
  'ringlet-accepted',
  'ringlet-declined',
  'ringlet-cancelled',
  'ringlet-missed',
  'ringlet-started',
  'ringlet-ended',
  'ringlet-error',
];
const MAX_LOGGED_EVENTS = 50;

const byId = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`demo: #${id} is missing from the page`);
  return element;
};

function userUrl(person, room) {
  const params = new URLSearchParams({ user: person.id, name: person.name, room });
  return `?${params}`;
}

/** The user this tab plays, from the query string; `null` shows the chooser instead. */
function currentUser() {
  const params = new URLSearchParams(location.search);
  const id = params.get('user');
  if (!id || !ID_PATTERN.test(id)) return null;
  const room = params.get('room') || DEFAULT_ROOM;
  if (!ID_PATTERN.test(room)) return null;
  const known = Object.hasOwn(PEOPLE, id) ? PEOPLE[id] : null;
  const name = (params.get('name') || known?.name || id).slice(0, 64);
  return { id, name, room };
}

function setUpChooser() {
  const form = byId('room-form');
  const input = byId('room');
  const error = byId('room-error');
  const links = { alice: byId('open-alice'), bob: byId('open-bob') };
  const askedRoom = new URLSearchParams(location.search).get('room');
  if (askedRoom && ID_PATTERN.test(askedRoom)) input.value = askedRoom;

  const update = () => {
    const room = input.value.trim();
    const valid = ID_PATTERN.test(room);
    input.setAttribute('aria-invalid', String(!valid && room !== ''));
    error.hidden = valid || room === '';
    for (const [key, link] of Object.entries(links)) {
      link.href = userUrl(PEOPLE[key], valid ? room : DEFAULT_ROOM);
      if (valid) link.removeAttribute('aria-disabled');
      else link.setAttribute('aria-disabled', 'true');
    }
  };
  input.addEventListener('input', update);
  // Enter in the field opens nothing by surprise; the two links are the way on.
  form.addEventListener('submit', (event) => event.preventDefault());
  for (const link of Object.values(links)) {
    link.addEventListener('click', (event) => {
      if (link.hasAttribute('aria-disabled')) {
        event.preventDefault();
        input.focus();
      }
    });
  }
  update();
}

function setUpCall(user) {
  byId('try').hidden = true;
  byId('call').hidden = false;
  // This tab is for calling: the pitch makes room for the call, and "Try it" leads to it.
  byId('hero').hidden = true;
  byId('nav-try').href = '#call';
  document.title = `${user.name} · Ringlet demo`;
  byId('me-name').textContent = user.name;
  byId('room-name').textContent = user.room;
  const avatar = byId('me-avatar');
  avatar.textContent = user.name.charAt(0).toUpperCase();
  avatar.className = `avatar ${user.id === 'bob' ? 'avatar-bob' : 'avatar-alice'}`;

  const peer = user.id === 'alice' ? PEOPLE.bob : user.id === 'bob' ? PEOPLE.alice : null;
  const peerLink = byId('open-peer');
  if (peer) {
    peerLink.href = userUrl(peer, user.room);
    peerLink.textContent = `Open as ${peer.name} in a new tab`;
  } else {
    peerLink.href = `./?room=${encodeURIComponent(user.room)}`;
    peerLink.textContent = 'Open the demo as someone else';
  }

  const button = document.createElement('video-call-button');
  button.setAttribute('room', user.room);
  button.setAttribute('user-id', user.id);
  button.setAttribute('user-name', user.name);
  const callWindow = document.createElement('video-call-window');
  callWindow.setAttribute('room', user.room);
  byId('call-stage').append(button, callWindow);
  logWidgetEvents();
  // The "open the other tab" hint is noise while a call is on: the widget's events say when one is.
  const hint = byId('peer-hint');
  document.addEventListener('ringlet-accepted', () => (hint.hidden = true));
  document.addEventListener('ringlet-ended', () => (hint.hidden = false));
}

function logWidgetEvents() {
  const list = byId('event-list');
  const log = (event) => {
    const item = document.createElement('li');
    const time = document.createElement('time');
    const now = new Date();
    time.dateTime = now.toISOString();
    time.textContent = now.toLocaleTimeString();
    const name = document.createElement('code');
    name.textContent = event.type;
    const detail = document.createElement('span');
    detail.className = 'event-detail';
    detail.textContent = describeDetail(event.detail);
    item.append(time, ' ', name, ' ', detail);
    list.prepend(item);
    while (list.children.length > MAX_LOGGED_EVENTS) list.lastElementChild?.remove();
  };
  for (const type of WIDGET_EVENTS) document.addEventListener(type, log);
}

function describeDetail(detail) {
  if (detail === null || detail === undefined) return '';
  try {
    return JSON.stringify(detail, (_key, value) =>
      value instanceof Object && !isPlain(value) ? '…' : value,
    );
  } catch {
    return String(detail);
  }
}

function isPlain(value) {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === Array.prototype || proto === null;
}

function setUpSnippet() {
  const origin = location.origin.startsWith('http') ? location.origin : 'https://calls.example.com';
  byId('service-origin').textContent = origin;
  const code = byId('snippet');
  code.textContent = [
    `<script src="${origin}/widget.js" defer></script>`,
    '',
    '<video-call-button room="chat123" user-id="user1" user-name="John"></video-call-button>',
    '<video-call-window room="chat123"></video-call-window>',
  ].join('\n');

  const button = byId('copy-snippet');
  const status = byId('copy-status');
  let reset;
  const announce = (message) => {
    status.textContent = message;
    button.textContent = message.startsWith('Copied') ? 'Copied' : 'Copy';
    clearTimeout(reset);
    reset = setTimeout(() => {
      status.textContent = '';
      button.textContent = 'Copy';
    }, 2500);
  };
  button.addEventListener('click', () => {
    copyText(code.textContent ?? '').then(
      () => announce('Copied the snippet to the clipboard.'),
      () => {
        selectContents(code);
        announce('Selected: press Ctrl+C (⌘C on a Mac) to copy.');
      },
    );
  });
}

async function copyText(text) {
  if (!navigator.clipboard) throw new Error('no clipboard API');
  await navigator.clipboard.writeText(text);
}

function selectContents(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}

setUpSnippet();
const user = currentUser();
if (user) setUpCall(user);
else setUpChooser();
