/* global window, document, customElements, RTCPeerConnection */
// Installed in every page of the call-setup benchmark (context.addInitScript). It times, with the same
// first-frame detection for both, a call set up through the widget and a bare RTCPeerConnection pair.
// Plain JavaScript on purpose: functions compiled by tsx carry `__name` helpers that do not exist in a page.
(() => {
  /** Wall-clock milliseconds, comparable between the pages of one browser. */
  const now = () => performance.timeOrigin + performance.now();
  const POLL_MS = 4;

  // The same constraints the widget asks getUserMedia for (widget/engine/local-media.ts).
  const MEDIA = {
    audio: { echoCancellation: true, noiseSuppression: true },
    video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } },
  };

  /**
   * Resolves with `{ at, how }` once the video `findVideo()` returns shows its first decoded frame:
   * a video frame callback, or (polling) a known size or a counted frame, whichever comes first.
   */
  const firstFrame = (findVideo, timeoutMs) =>
    new Promise((resolve, reject) => {
      let hooked = null;
      let done = false;
      let timer = 0;
      let deadline = 0;
      const finish = (how) => {
        if (done) return;
        done = true;
        window.clearInterval(timer);
        window.clearTimeout(deadline);
        resolve({ at: now(), how });
      };
      const check = () => {
        const video = findVideo();
        if (!video) return;
        if (video !== hooked && typeof video.requestVideoFrameCallback === 'function') {
          hooked = video;
          video.requestVideoFrameCallback(() => finish('video-frame-callback'));
        }
        if (video.videoWidth > 0 || video.getVideoPlaybackQuality().totalVideoFrames > 0) finish('poll');
      };
      timer = window.setInterval(check, POLL_MS);
      deadline = window.setTimeout(() => {
        if (done) return;
        done = true;
        window.clearInterval(timer);
        reject(new Error(`no remote video frame within ${timeoutMs} ms`));
      }, timeoutMs);
      check();
    });

  // The document and every open shadow root in it, however deep.
  const allRoots = () => {
    const roots = [document];
    for (let i = 0; i < roots.length; i++) {
      for (const element of roots[i].querySelectorAll('*'))
        if (element.shadowRoot) roots.push(element.shadowRoot);
    }
    return roots;
  };

  /** The widget's remote video, found by its public part name (`part="remote-video"`). */
  const widgetRemoteVideo = () => {
    for (const root of allRoots()) {
      const video = root.querySelector('video[part~="remote-video"]');
      if (video) return video;
    }
    return null;
  };

  const newVideo = () => {
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true;
    video.width = 320;
    document.body.append(video);
    return video;
  };

  /** ICE candidates for `peer`, held until it has a remote description. */
  const candidateSink = (peer) => {
    const held = [];
    let open = false;
    return {
      add: (candidate) =>
        open ? peer.addIceCandidate(candidate).catch(() => undefined) : held.push(candidate),
      open: () => {
        open = true;
        for (const candidate of held.splice(0)) peer.addIceCandidate(candidate).catch(() => undefined);
      },
    };
  };

  // A timeline of what the browser APIs saw (getUserMedia, every RTCPeerConnection's states and tracks) and
  // the widget's public events, so a slow setup can be taken apart. `pc1`, `pc2`... number the connections.
  const trace = [];
  const note = (what) => trace.push({ at: now(), what });
  if (window.isSecureContext && navigator.mediaDevices) {
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      note('getUserMedia called');
      const stream = await getUserMedia(constraints);
      note('getUserMedia resolved');
      return stream;
    };
  }
  const NativePeerConnection = window.RTCPeerConnection;
  let peerCount = 0;
  window.RTCPeerConnection = class extends NativePeerConnection {
    constructor(...args) {
      super(...args);
      const name = `pc${++peerCount}`;
      note(`${name} created`);
      this.addEventListener('signalingstatechange', () => note(`${name} signaling ${this.signalingState}`));
      this.addEventListener('iceconnectionstatechange', () => note(`${name} ice ${this.iceConnectionState}`));
      this.addEventListener('connectionstatechange', () =>
        note(`${name} connection ${this.connectionState}`),
      );
      this.addEventListener('track', ({ track }) => note(`${name} track ${track.kind}`));
    }
  };
  for (const type of ['ringlet-accepted', 'ringlet-started']) {
    document.addEventListener(type, () => note(type), { capture: true });
  }
  const traceSince = (from) => trace.filter((entry) => entry.at >= from);

  let armed = null;

  window.__ringletBench = {
    /** Whether widget.js defined both elements within `timeoutMs`. */
    widgetReady: async (timeoutMs) => {
      const defined = Promise.all([
        customElements.whenDefined('video-call-button'),
        customElements.whenDefined('video-call-window'),
      ]);
      await Promise.race([defined, new Promise((resolve) => window.setTimeout(resolve, timeoutMs))]);
      return Boolean(customElements.get('video-call-button') && customElements.get('video-call-window'));
    },

    /** Starts watching the widget's remote video, and notes the time of the next click (Accept). */
    armWidget: (timeoutMs) => {
      const state = { clickAt: null };
      document.addEventListener(
        'click',
        () => {
          if (state.clickAt === null) state.clickAt = now();
        },
        { capture: true },
      );
      const armedAt = now();
      armed = firstFrame(widgetRemoteVideo, timeoutMs).then((frame) => ({
        clickAt: state.clickAt,
        frameAt: frame.at,
        how: frame.how,
        trace: traceSince(armedAt),
      }));
      armed.catch(() => undefined);
    },

    /** `{ clickAt, frameAt, how }` once the widget's remote video has a frame. */
    widgetResult: () => armed ?? Promise.reject(new Error('armWidget() was not called')),

    /**
     * The bare baseline, timed like the widget's callee: the caller's camera is already on (the widget takes
     * it when placing the call); the clock starts where Accept is clicked, so it covers the callee's camera,
     * both connections, offer/answer, ICE on loopback and the first decoded frame.
     */
    bare: async (timeoutMs) => {
      const callerStream = await navigator.mediaDevices.getUserMedia(MEDIA);
      const atCallee = newVideo();
      const atCaller = newVideo();
      const startAt = now();
      const calleeStream = await navigator.mediaDevices.getUserMedia(MEDIA);
      const caller = new RTCPeerConnection({ iceServers: [] });
      const callee = new RTCPeerConnection({ iceServers: [] });
      try {
        const toCallee = candidateSink(callee);
        const toCaller = candidateSink(caller);
        caller.onicecandidate = ({ candidate }) => candidate && toCallee.add(candidate);
        callee.onicecandidate = ({ candidate }) => candidate && toCaller.add(candidate);
        callee.ontrack = ({ streams }) => {
          if (streams[0] && atCallee.srcObject !== streams[0]) atCallee.srcObject = streams[0];
        };
        caller.ontrack = ({ streams }) => {
          if (streams[0] && atCaller.srcObject !== streams[0]) atCaller.srcObject = streams[0];
        };
        for (const track of callerStream.getTracks()) caller.addTrack(track, callerStream);
        for (const track of calleeStream.getTracks()) callee.addTrack(track, calleeStream);
        const frames = Promise.all([
          firstFrame(() => atCallee, timeoutMs),
          firstFrame(() => atCaller, timeoutMs),
        ]);
        await caller.setLocalDescription(await caller.createOffer());
        await callee.setRemoteDescription(caller.localDescription);
        toCallee.open();
        await callee.setLocalDescription(await callee.createAnswer());
        await caller.setRemoteDescription(callee.localDescription);
        toCaller.open();
        const [calleeFrame, callerFrame] = await frames;
        return {
          startAt,
          calleeFrameAt: calleeFrame.at,
          callerFrameAt: callerFrame.at,
          how: calleeFrame.how,
          trace: traceSince(startAt),
        };
      } finally {
        caller.close();
        callee.close();
        for (const track of [...callerStream.getTracks(), ...calleeStream.getTracks()]) track.stop();
        atCallee.remove();
        atCaller.remove();
      }
    },
  };
})();
