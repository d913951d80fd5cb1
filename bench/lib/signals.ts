/** The 1 KB signal the relay benchmark sends: an offer-shaped session description. */
import type { SessionDescription } from '../../server/protocol.js';

const HEAD = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'a=msid-semantic: WMS stream',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:Bench',
  'a=ice-pwd:benchbenchbenchbenchbench',
  'a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CC:87:32:BE:DD:8C:66:A5:8E:50:55:EA:8C:D3:B6:5C:09:5E:D6:BC',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendrecv',
  'a=rtcp-mux',
];

/** Pads with `a=rtpmap` lines to `bytes` characters of SDP (the JSON packet is a little larger). */
function sdpOfLength(bytes: number): string {
  const lines = [...HEAD];
  let payload = 96;
  while (lines.join('\r\n').length < bytes) lines.push(`a=rtpmap:${payload++} VP8/90000`);
  return lines.join('\r\n').slice(0, bytes);
}

export const SIGNAL_BYTES = 1024;
export const SIGNAL: SessionDescription = { type: 'offer', sdp: sdpOfLength(SIGNAL_BYTES) };
