import { expect } from '@esm-bundle/chai';
import { mediaErrorFrom } from '../../widget/engine/media-errors.js';
import { RefCountedRegistry } from '../../widget/engine/ref-counted-registry.js';
import { TypedEmitter } from '../../widget/engine/typed-emitter.js';

describe('engine building blocks', () => {
  it('TypedEmitter delivers to listeners until they unsubscribe or clear()', () => {
    const emitter = new TypedEmitter<{ ping: number; pong: string }>();
    const got: number[] = [];
    const off = emitter.on('ping', (n) => got.push(n));
    emitter.emit('ping', 1);
    off();
    emitter.emit('ping', 2);
    emitter.on('ping', (n) => got.push(n * 10));
    emitter.clear();
    emitter.emit('ping', 3);
    expect(got).to.deep.equal([1]);
  });

  it('RefCountedRegistry shares one value per key and disposes of it on the last release', () => {
    const disposed: string[] = [];
    const registry = new RefCountedRegistry<{ key: string }>((value) => disposed.push(value.key));
    let created = 0;
    const create = () => ({ key: `v${++created}` });
    const first = registry.acquire('a', create);
    const second = registry.acquire('a', create);
    expect(second.value).to.equal(first.value);
    expect(created).to.equal(1);
    first.release();
    first.release(); // idempotent
    expect(disposed).to.deep.equal([]);
    second.release();
    expect(disposed).to.deep.equal(['v1']);
    expect(registry.acquire('a', create).value.key).to.equal('v2');
  });

  it('turns getUserMedia failures into coded errors', () => {
    const named = (name: string) => new DOMException('x', name);
    expect(mediaErrorFrom(named('NotAllowedError')).code).to.equal('permission-denied');
    expect(mediaErrorFrom(named('NotFoundError')).code).to.equal('no-device');
    expect(mediaErrorFrom(named('NotReadableError')).code).to.equal('device-busy');
    expect(mediaErrorFrom(named('OverconstrainedError')).code).to.equal('overconstrained');
    expect(mediaErrorFrom(new TypeError('no mediaDevices')).code).to.equal('media-unsupported');
    const error = mediaErrorFrom(named('NotAllowedError'));
    expect(error.cause).to.be.instanceOf(DOMException);
  });
});
