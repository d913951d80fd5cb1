import { expect } from '@esm-bundle/chai';
import { acquireSignaling } from '../../widget/engine/signaling-registry.js';
import { ConnectionState } from '../../widget/engine/signaling-client.js';
import { joinAs, releaseAllPeers, until } from '../wtr/peers.js';
import { dropConnection } from '../wtr/drop-connection.js';
import { signToken } from '../wtr/jwt.js';
import { testConfig, uniqueId } from '../wtr/test-config.js';

describe('signaling client', () => {
  afterEach(releaseAllPeers);

  it('shares one connection per (server, user) and closes it with the last user', async () => {
    const userId = uniqueId('u');
    const first = acquireSignaling(testConfig.serverUrl, userId, { userName: 'U' });
    const second = acquireSignaling(`${testConfig.serverUrl}/`, userId, { userName: 'U' });
    const other = acquireSignaling(testConfig.serverUrl, uniqueId('v'), { userName: 'V' });
    expect(second.value).to.equal(first.value);
    expect(other.value).to.not.equal(first.value);
    await until(() => first.value.connected, 'never connected');
    first.release();
    expect(second.value.state).to.equal(ConnectionState.Connected);
    second.release();
    expect(second.value.state).to.equal(ConnectionState.Closed);
    other.release();
  });

  it('joins with a token from tokenProvider, asked again on every (re)connect', async () => {
    const room = uniqueId('room');
    const userId = uniqueId('alice');
    let asked = 0;
    const tokenProvider = async () => {
      asked += 1;
      return signToken(testConfig.authSecret, { sub: userId, name: 'Alice', rooms: [room] });
    };
    const peer = joinAs('Alice', room, { server: testConfig.authServerUrl, userId, tokenProvider });
    await until(() => peer.session.joined, 'never joined with the token');
    expect(asked).to.equal(1);
    expect(peer.session.members.map((m) => m.userName)).to.deep.equal(['Alice']);

    dropConnection(peer.session.signaling);
    await until(() => !peer.session.joined, 'the drop went unnoticed');
    await until(() => peer.session.joined, 'never rejoined the room after the drop');
    expect(asked).to.equal(2);
  });

  it('says why the service refused the handshake (expired token)', async () => {
    const room = uniqueId('room');
    const userId = uniqueId('alice');
    const token = await signToken(testConfig.authSecret, { sub: userId, name: 'A', rooms: ['*'] }, -60);
    const peer = joinAs('Alice', room, { server: testConfig.authServerUrl, userId, token });
    await until(() => peer.session.connectionState === ConnectionState.Refused, 'not refused');
    expect(peer.session.signaling.lastError?.code).to.equal('token-expired');
  });

  it('reports a room outside the token as forbidden', async () => {
    const userId = uniqueId('alice');
    const token = await signToken(testConfig.authSecret, { sub: userId, name: 'A', rooms: ['elsewhere'] });
    const peer = joinAs('Alice', uniqueId('room'), { server: testConfig.authServerUrl, userId, token });
    await until(() => peer.session.joinError !== null, 'join was not refused');
    expect(peer.session.joinError?.code).to.equal('forbidden');
  });
});
