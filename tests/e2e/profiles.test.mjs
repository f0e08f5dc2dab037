// The viewer page choosing its picture size (issue 18: /stream?width=, /status `profiles`) in
// chromium (playwright-core) against the real app on the 720p test pattern. Run by ctest
// (e2e_profiles) or by hand:
//   KIOSK_APP=build/mjpeg-kiosk tests/e2e/run.sh profiles
// Nothing here asserts a time: the page is given generous limits to settle, and what it settles on
// is asserted (the size asked for, the kiosk's profile for this stream, the rate it gets).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromiumBrowser } from './engines.mjs';
import { App, get, sleep, status, until } from './kiosk.mjs';

// 2 Mbit/s, as the slow viewer; the 720p pattern at 30 fps needs several times that.
const SLOW_LINK = { offline: false, latency: 20, downloadThroughput: 250000, uploadThroughput: 250000 };
const SETTLE_MS = 60000;
const STABLE_MS = 10000;

let browser;
before(async () => {
    browser = await launchChromiumBrowser();
});
after(async () => { await browser?.close(); });

const pageErrors = [];
async function openPage(url, { viewport = { width: 1280, height: 800 }, link } = {}) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    if (link) {
        page.link = (conditions) => page.cdp.send('Network.emulateNetworkConditions', conditions);
        // Bytes the browser got per request: what arrived, not what the kiosk sent (a slow
        // link's buffers hold seconds of frames the kiosk counts as sent).
        const cdp = page.cdp = await context.newCDPSession(page);
        page.received = new Map();
        const urls = new Map();
        cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
        cdp.on('Network.dataReceived', (e) => {
            const url = urls.get(e.requestId) || '';
            page.received.set(url, (page.received.get(url) || 0) + e.dataLength);
        });
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', link);
    }
    await page.goto(url);
    return page;
}

// What the page's stream asks for and what the kiosk says it gets.
async function streamOf(app, page) {
    const src = await page.evaluate(() => document.getElementById('stream').getAttribute('src'));
    if (!src) return null;
    const q = new URL(src, app.url).searchParams;
    const mine = (await status(app)).clients.find((c) => c.streaming && c.viewer === q.get('viewer'));
    return mine && { width: q.get('width'), viewer: q.get('viewer'), profile: mine.profile, fps: mine.fps };
}

// Frames a second that reached the browser on the page's stream: its bytes received over a few
// seconds divided by the kiosk's mean frame size for that stream.
async function arrivingFps(app, page, viewer, ms = 5000) {
    const bytes = () => [...page.received].filter(([u]) => u.includes('viewer=' + viewer + '&')
                                                    || u.endsWith('viewer=' + viewer))
        .reduce((n, [, b]) => n + b, 0);
    const b0 = bytes(), t0 = Date.now();
    await sleep(ms);
    const b1 = bytes(), t1 = Date.now();
    const mine = (await status(app)).clients.find((c) => c.viewer === viewer);
    return ((b1 - b0) / (mine.bytes_sent / mine.frames_sent)) * 1000 / (t1 - t0);
}

// The page's stream once it has asked for the same thing for STABLE_MS.
async function settled(app, page, what, limitMs = SETTLE_MS) {
    let last = null, since = Date.now();
    return until(what, async () => {
        const now = await streamOf(app, page);
        if (!now || !last || now.viewer !== last.viewer) { last = now; since = Date.now(); return false; }
        last = now;
        return Date.now() - since >= STABLE_MS && now;
    }, limitMs);
}

describe('the page chooses its picture size', () => {
    let app, allowed;
    before(async () => {
        app = await App.start({ extra: ['--resolution', '1280x720', '--fps', '30'] });
        // The sizes are known once the source's is: the first frame.
        await until('a first frame', async () => (await get(app.url + 'snapshot')).status === 200);
        allowed = ((await status(app)).profiles?.allowed || []).map((p) => p.width).sort((a, b) => a - b);
    });
    after(async () => { await app?.stop(); });

    // A kiosk before issue 18 has no profiles: nothing to choose (the page then shows no menu,
    // which e2e_viewer covers with its unchanged assertions).
    const needsProfiles = (t) => {
        if (allowed.length) return false;
        t.skip('this kiosk has no output profiles (/status profiles)');
        return true;
    };

    test('a kiosk without profiles: no choice shown, nothing asked', async (t) => {
        if (allowed.length) { t.skip('this kiosk has profiles'); return; }
        const page = await openPage(app.url);
        const stream = await until('a stream', () => streamOf(app, page));
        assert.equal(stream.width, null);
        assert.ok(await page.locator('#profile-figure').isHidden());
        await page.context().close();
    });

    test('the kiosk offers sizes', (t) => {
        if (needsProfiles(t)) return;
        assert.ok(allowed.length >= 3 && allowed.at(-1) === 1280, `profiles: ${allowed}`);
    });

    test('the panel offers them', async (t) => {
        if (needsProfiles(t)) return;
        const page = await openPage(app.url);
        await until('the size menu', async () => (await page.locator('#profile option').count()) === allowed.length + 1);
        assert.deepEqual(await page.locator('#profile option').allTextContents(),
                         ['Auto (1280)', ...allowed.map((w) => `${w}×${w * 9 / 16}`)]);
        await page.context().close();
    });

    test('a narrow window asks for a small size', async (t) => {
        if (needsProfiles(t)) return;
        const page = await openPage(app.url, { viewport: { width: 320, height: 600 } });
        const stream = await until('a stream', () => streamOf(app, page));
        const smallest = allowed[0];
        assert.equal(Number(stream.width), smallest);
        assert.equal(stream.profile, `${smallest}x${smallest * 9 / 16}`);
        await until('the size received on the panel', async () =>
            (await page.locator('#received').textContent()) === `${smallest}×${smallest * 9 / 16}`);
        assert.ok(await page.locator('#profile').isVisible(), 'the choice is offered');
        await page.context().close();
    });

    test('a wide window asks for the full size', async (t) => {
        if (needsProfiles(t)) return;
        const page = await openPage(app.url);
        const stream = await until('a stream', () => streamOf(app, page));
        assert.equal(Number(stream.width), 1280);
        await page.context().close();
    });

    test('behind a 2 Mbit/s link it settles on a size it gets at 20 fps or more', async (t) => {
        if (needsProfiles(t)) return;
        const started = Date.now();
        const page = await openPage(app.url, { link: SLOW_LINK });
        const stream = await settled(app, page, 'a settled size', SETTLE_MS);
        const stableAfter = Math.round((Date.now() - started - STABLE_MS) / 1000);
        const fps = await arrivingFps(app, page, stream.viewer);
        const final = await streamOf(app, page);
        console.log(`2 Mbit/s: settled on width ${stream.width} (${stream.profile}) ~${stableAfter} s`
                    + ` after opening; ${fps.toFixed(1)} frames a second arriving in the browser`);
        assert.ok(Number(stream.width) < 1280, `settled on ${stream.width}`);
        assert.ok(fps >= 20, `${fps} frames a second arrive at width ${stream.width}`);
        assert.equal(final.viewer, stream.viewer, 'still the settled stream');
        // The link is fast again: back up, one step after another kept up for a while.
        await page.link({ offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
        await until('the full size again', async () => (await streamOf(app, page))?.width === '1280', 150000);
        await page.context().close();
    });

    test('a size chosen on the panel stays, even on a slow link', async (t) => {
        if (needsProfiles(t)) return;
        const page = await openPage(app.url, { link: SLOW_LINK });
        await until('a stream', () => streamOf(app, page));
        await page.locator('#profile').selectOption({ label: '1280×720' });
        const stream = await until('the chosen size', async () => {
            const s = await streamOf(app, page);
            return s && s.width === '1280' && s;
        });
        await sleep(15000); // Auto would have stepped down by now
        const later = await streamOf(app, page);
        assert.deepEqual([later.viewer, later.width], [stream.viewer, '1280']);
        await page.context().close();
    });

    test('an embed pins a size with the page address', async (t) => {
        if (needsProfiles(t)) return;
        const page = await openPage(app.url + '?width=320');
        const stream = await until('a stream', () => streamOf(app, page));
        assert.equal(stream.width, '320');
        assert.equal(await page.locator('#profile').inputValue(), 'pinned');
        await page.context().close();
    });
});

test('no script errors on any page', () => {
    assert.deepEqual(pageErrors, []);
});
