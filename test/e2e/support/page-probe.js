/* global window, document, RTCPeerConnection, MediaStream, HTMLVideoElement */
// Injected into every test page before its own scripts (page.addInitScript). It watches the browser APIs the
// widget uses, never the widget itself: every stream getUserMedia hands out and every RTCPeerConnection
// made, so a test can prove the camera was released and the connection closed after a call, and find the
// remote video as "a <video> playing tracks that did not come from this page's camera".
// Plain JavaScript on purpose: functions compiled by tsx carry `__name` helpers that do not exist in a page.
(() => {
  const streams = [];
  const peers = [];
  const events = [];

  // The widget's documented DOM events, as a host page hears them: on `document`, so only if they bubble and
  // cross shadow roots (composed).
  const WIDGET_EVENTS = [
    'outgoing',
    'incoming',
    'accepted',
    'declined',
    'cancelled',
    'missed',
    'started',
    'ended',
  ];
  for (const name of [...WIDGET_EVENTS.map((moment) => `ringlet-${moment}`), 'ringlet-error']) {
    document.addEventListener(name, (event) => events.push({ type: event.type, detail: event.detail }));
  }

  // A new tab's first document (about:blank) is not a secure context and has no mediaDevices.
  if (!window.isSecureContext || !navigator.mediaDevices) return;

  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    streams.push(stream);
    return stream;
  };

  const NativePeerConnection = RTCPeerConnection;
  window.RTCPeerConnection = class extends NativePeerConnection {
    constructor(...args) {
      super(...args);
      peers.push(this);
    }
  };

  const localTrackIds = () =>
    new Set(streams.flatMap((stream) => stream.getTracks().map((track) => track.id)));

  // The document and every open shadow root in it, however deep.
  const allRoots = () => {
    const roots = [document];
    for (let i = 0; i < roots.length; i++) {
      for (const element of roots[i].querySelectorAll('*'))
        if (element.shadowRoot) roots.push(element.shadowRoot);
    }
    return roots;
  };

  const allVideos = () =>
    allRoots().flatMap((root) =>
      [...root.querySelectorAll('video')].filter((v) => v instanceof HTMLVideoElement),
    );

  const deepText = () =>
    allRoots()
      .map((root) => (root === document ? document.body.textContent : root.textContent))
      .join('\n');

  const remoteVideos = () => {
    const local = localTrackIds();
    return allVideos().filter(
      (video) =>
        video.srcObject instanceof MediaStream &&
        video.srcObject.getVideoTracks().some((track) => !local.has(track.id)),
    );
  };

  const isShown = (element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && element.checkVisibility({ visibilityProperty: true });
  };

  window.__ringletE2e = {
    /** The remote videos on the page, shown or not, with what they decode. */
    remoteVideoStates: () =>
      remoteVideos().map((video) => ({
        shown: isShown(video),
        width: video.videoWidth,
        framesShown: video.getVideoPlaybackQuality().totalVideoFrames,
        paused: video.paused,
      })),
    /** Tracks this page's getUserMedia handed out that are still live (camera or microphone on). */
    // (A track may sit in several of those streams, e.g. a camera turned back on: each counts once.)
    liveLocalTracks: () =>
      [
        ...new Set(
          streams.flatMap((stream) => stream.getTracks().filter((track) => track.readyState === 'live')),
        ),
      ].map((track) => track.kind),
    localStreamCount: () => streams.length,
    /** RTCPeerConnections this page made that are not closed yet. */
    openPeerConnections: () => peers.filter((peer) => peer.signalingState !== 'closed').length,
    peerConnectionCount: () => peers.length,
    /** The widget events `document` heard so far, in order. */
    widgetEvents: () => events,
    /** What a person would see, in short: the elements' public `state` attributes and the page's text. */
    summary: () => ({
      states: allRoots().flatMap((root) =>
        [...root.querySelectorAll('video-call-button, video-call-window')].map(
          (element) => `${element.localName}[state=${element.getAttribute('state')}]`,
        ),
      ),
      text: deepText().replace(/\s+/g, ' ').trim().slice(0, 400),
    }),
    /**
     * For each open peer connection, the selected ICE candidate pair (`transport.selectedCandidatePairId`,
     * which is current, unlike `nominated`): its local and remote candidate types, e.g. `relay`; `null` while
     * none is selected.
     */
    selectedCandidatePairs: async () => {
      const pairs = [];
      for (const peer of peers.filter((p) => p.signalingState !== 'closed')) {
        const stats = await peer.getStats();
        let pair = null;
        stats.forEach((report) => {
          if (report.type === 'transport' && report.selectedCandidatePairId)
            pair = stats.get(report.selectedCandidatePairId) ?? null;
        });
        pairs.push(
          pair && {
            state: pair.state,
            local: stats.get(pair.localCandidateId)?.candidateType ?? null,
            remote: stats.get(pair.remoteCandidateId)?.candidateType ?? null,
          },
        );
      }
      return pairs;
    },
    /** Video frames decoded so far by this page's open peer connections (grows while media flows). */
    framesDecoded: async () => {
      let frames = 0;
      for (const peer of peers.filter((p) => p.signalingState !== 'closed')) {
        (await peer.getStats()).forEach((report) => {
          if (report.type === 'inbound-rtp' && report.kind === 'video') frames += report.framesDecoded ?? 0;
        });
      }
      return frames;
    },
    /**
     * Fires `ended` on this page's live camera (`video`) or microphone (`audio`) tracks, as the browser does
     * when the device is unplugged. Chromium's fake devices cannot be unplugged (and neither stop() nor a
     * revoked permission fires `ended`), so the event is dispatched on the real track objects. Returns how many.
     */
    unplug: (kind) => {
      const tracks = streams.flatMap((stream) =>
        stream.getTracks().filter((track) => track.kind === kind && track.readyState === 'live'),
      );
      for (const track of tracks) track.dispatchEvent(new Event('ended'));
      return tracks.length;
    },
    /** Resolves once `text` shows anywhere on the page, shadow roots included; rejects after `timeoutMs`. */
    whenText: (text, timeoutMs) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const check = () => {
          if (deepText().includes(text)) resolve(true);
          else if (Date.now() > deadline) reject(new Error(`"${text}" did not show within ${timeoutMs} ms`));
          else setTimeout(check, 50);
        };
        check();
      }),
  };
})();
