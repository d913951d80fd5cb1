import { expect } from '@esm-bundle/chai';
import { html } from 'lit';
import { fixture } from '../wtr/fixture.js';
import '../../widget/index.js';
import type { VideoCallButton, VideoCallWindow } from '../../widget/index.js';
import { getByRole } from '../wtr/by-role.js';
import { joinAs, releaseAllPeers, until } from '../wtr/peers.js';
import { sameServiceOtherOrigin, testConfig, uniqueId } from '../wtr/test-config.js';

const server = testConfig.serverUrl;
const CONTROLS = ['Mute', 'Turn camera off', 'End call'] as const;
/** Beside the window in a flex row: 40 px and an 8 px gap. */
const SIDE = 48;

/**
 * A placed window `width` px wide in a page column laid out by `display` (a grid with a `1fr` track, or a
 * flex row with something beside the window, which on its own would ask for more), under the button; Bob
 * calls and the call is accepted.
 */
async function callInColumn(
  display: 'grid' | 'flex',
  width: number,
): Promise<{ column: HTMLElement; window: VideoCallWindow }> {
  const room = uniqueId('room');
  const me = uniqueId('me');
  const window = html`<video-call-window room=${room} server=${server}></video-call-window>`;
  const column = await fixture<HTMLElement>(
    display === 'grid'
      ? html`<div style="display: grid; grid-template-columns: 1fr; width: ${width}px">
          <video-call-button room=${room} user-id=${me} user-name="Me" server=${server}></video-call-button>
          ${window}
        </div>`
      : html`<div style="width: ${width + SIDE}px">
          <video-call-button room=${room} user-id=${me} user-name="Me" server=${server}></video-call-button>
          <div class="row" style="display: flex; gap: 8px">
            <div style="flex: none; width: ${SIDE - 8}px">…</div>
            ${window}
          </div>
        </div>`,
  );
  const button = column.querySelector<VideoCallButton>('video-call-button');
  const placed = column.querySelector<VideoCallWindow>('video-call-window');
  if (!button || !placed) throw new Error('missing elements');
  const bob = joinAs('Bob', room, { server: sameServiceOtherOrigin(server) });
  await until(() => bob.session.others.some((m) => m.userId === me), 'bob does not see me');
  await bob.session.call(me);
  await until(() => button.state === 'ringing-in', 'never rang');
  await button.accept();
  await until(() => placed.state === 'in-call', 'the placed window never showed the call');
  return { column, window: placed };
}

/** The line boxes of a control's label (its text, not its icon). */
function labelRects(control: HTMLElement): DOMRect[] {
  return Array.from(control.childNodes)
    .filter((node) => node.nodeType === Node.TEXT_NODE && node.textContent?.trim())
    .flatMap((node) => {
      const range = document.createRange();
      range.selectNodeContents(node);
      return Array.from(range.getClientRects());
    });
}

/** How many lines a control's label takes. */
function labelLines(control: HTMLElement): number {
  return new Set(labelRects(control).map((rect) => Math.round(rect.top))).size;
}

function expectNoSidewaysOverflow(column: HTMLElement, window: VideoCallWindow): void {
  const box = column.getBoundingClientRect();
  const win = window.getBoundingClientRect();
  expect(win.left, 'window left').to.be.at.least(box.left - 0.5);
  expect(win.right, 'window right').to.be.at.most(box.right + 0.5);
  expect(column.scrollWidth, 'column scrollWidth').to.be.at.most(column.clientWidth);
  const base = window.shadowRoot?.querySelector<HTMLElement>('[part="base"]');
  if (!base) throw new Error('no base part');
  expect(base.scrollWidth, 'window content scrollWidth').to.be.at.most(base.clientWidth);
}

describe('<video-call-window> in narrow containers', () => {
  afterEach(releaseAllPeers);

  for (const display of ['grid', 'flex'] as const) {
    it(`shrinks to a 300 px ${display} column: no overflow, one row of icon-over-label controls, one line each`, async () => {
      const { column, window } = await callInColumn(display, 300);
      expectNoSidewaysOverflow(column, window);
      expect(window.getBoundingClientRect().width).to.be.closeTo(300, 1);

      const controls = CONTROLS.map((name) => getByRole(window, 'button', name));
      const tops = new Set(controls.map((control) => Math.round(control.getBoundingClientRect().top)));
      expect(tops.size, 'the three controls share one row').to.equal(1);
      for (const control of controls) {
        const name = control.textContent?.trim() ?? '';
        const rect = control.getBoundingClientRect();
        expect(labelLines(control), `"${name}" on one line`).to.equal(1);
        expect(rect.height, `${name} height`).to.be.at.least(44);
        expect(rect.width, `${name} width`).to.be.at.least(44);
        // Compact: the icon above the label.
        const icon = control.querySelector('svg')?.getBoundingClientRect();
        const labelTop = Math.min(...labelRects(control).map((r) => r.top));
        expect(icon?.bottom ?? Infinity, `${name}: icon above the label`).to.be.at.most(labelTop + 1);
      }
      await window.hangUp();
    });
  }

  it('keeps the side-by-side icon and label controls, 44 px high, in a wide window', async () => {
    const { column, window } = await callInColumn('grid', 640);
    expectNoSidewaysOverflow(column, window);
    expect(window.getBoundingClientRect().width).to.be.closeTo(640, 1);
    for (const name of CONTROLS) {
      const control = getByRole(window, 'button', name);
      const icon = control.querySelector('svg')?.getBoundingClientRect();
      const rect = control.getBoundingClientRect();
      expect(labelLines(control), `"${name}" on one line`).to.equal(1);
      expect(rect.height, `${name} height`).to.be.at.least(44).and.below(60);
      const labelLeft = Math.min(...labelRects(control).map((r) => r.left));
      expect(icon?.right ?? Infinity, `${name}: icon beside the label`).to.be.at.most(labelLeft + 1);
    }
    await window.hangUp();
  });
});
