// End-to-end tests of the viewer page: the real app on the test pattern, Debian's chromium
// (headless) driven by playwright-core. Run by ctest (tests/e2e/CMakeLists.txt) or by hand:
//   KIOSK_APP=build/mjpeg-kiosk node --test --test-concurrency=1 tests/e2e/
// E2E_SCREENSHOT_DIR: where web-phone.png and web-desktop.png go (docs/screenshots to refresh the
// README's pictures; the default is a temporary folder so a test run leaves the sources alone).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromiumBrowser } from './engines.mjs';
import { App, get, status, until } from './kiosk.mjs';

const OUT_DIR = process.env.E2E_SCREENSHOT_DIR
    || fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-'));

// --- the browser ---------------------------------------------------------------------------

let browser;

before(async () => {
    browser = await launchChromiumBrowser();
});

after(async () => { await browser?.close(); });

// Script errors of every page any test opened; the last test asserts there were none.
const pageErrors = [];
const watchErrors = (page) => page.on('pageerror', (e) => pageErrors.push(e.message));

async function openPage(app, options = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
    const page = await context.newPage();
    watchErrors(page);
    await page.goto(app.url);
    return page;
}

const state = (page) => page.locator('body').getAttribute('data-state');

async function waitState(page, wanted, timeoutMs = 10000) {
    await page.waitForFunction((s) => document.body.dataset.state === s, wanted,
                               { timeout: timeoutMs });
}

// The picture as decoded pixels: the <img> drawn into a small canvas.
function grab(page) {
    return page.evaluate(() => {
        const img = document.getElementById('stream');
        const canvas = document.createElement('canvas');
        canvas.width = 160;
        canvas.height = 90;
        const ctx = canvas.getContext('2d');
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        return Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data);
    });
}

function differingPixels(a, b) {
    let n = 0;
    for (let i = 0; i < a.length; i += 4) {
        if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 30)
            ++n;
    }
    return n;
}

async function assertMoving(page) {
    // A stream just (re)started may take a moment to decode its first frame.
    const first = await until('a picture that is not black', async () => {
        const pixels = await grab(page);
        return pixels.some((v, i) => i % 4 !== 3 && v > 0) && pixels;
    });
    // The pattern moves every frame; allow a few seconds on a loaded machine.
    await until('the picture to change', async () => differingPixels(first, await grab(page)) > 20);
}

// --- tests ---------------------------------------------------------------------------------

describe('viewer page', () => {
    let app;
    before(async () => { app = await App.start(); });
    after(async () => { await app?.stop(); });

    test('serves the page, no-cache, and framing browsers accept', async () => {
        const page = await get(app.url);
        assert.equal(page.status, 200);
        assert.match(page.headers['content-type'], /^text\/html/);
        const html = page.body.toString();
        assert.doesNotMatch(html, /(src|href)=["']?(https?:)?\/\//, 'nothing from another origin');
        assert.ok(html.includes("'stream?t='") && html.includes("fetch('status'")
                  && html.includes("fetch('snapshot'"), 'relative URLs: same origin, same credentials');
        assert.doesNotMatch(html, /@import|url\(|<link /, 'no style sheet or font from elsewhere');

        const st = await get(app.url + 'status');
        assert.match(st.headers['cache-control'], /no-store/);

        await until('a first frame', async () => (await get(app.url + 'snapshot')).status === 200);
        const stream = await get(app.url + 'stream', { maxBytes: 200000 });
        assert.match(stream.headers['content-type'], /^multipart\/x-mixed-replace; ?boundary=mjpegkiosk$/);
        assert.match(stream.headers['cache-control'], /no-store/);
        // Two whole parts: --B CRLF headers CRLF CRLF <Content-Length bytes of JPEG> CRLF --B
        let at = 0;
        const body = stream.body;
        for (let part = 0; part < 2; ++part) {
            const headEnd = body.indexOf('\r\n\r\n', at);
            assert.ok(headEnd > 0, 'part head complete');
            const head = body.subarray(at, headEnd).toString('latin1');
            const lines = head.split('\r\n');
            assert.equal(lines[0], '--mjpegkiosk');
            assert.ok(lines.includes('Content-Type: image/jpeg'), head);
            const length = Number(/Content-Length: (\d+)/.exec(head)[1]);
            const jpeg = body.subarray(headEnd + 4, headEnd + 4 + length);
            assert.equal(jpeg.length, length);
            assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff]);
            assert.deepEqual([...jpeg.subarray(-2)], [0xff, 0xd9]);
            assert.equal(body.subarray(headEnd + 4 + length, headEnd + 6 + length).toString(), '\r\n');
            at = headEnd + 6 + length;
        }
    });

    test('live picture that moves, and the status panel', async () => {
        const page = await openPage(app);
        await waitState(page, 'live');
        await assertMoving(page);
        // Only the <img> streams; the status polls are not viewers.
        await until('1 viewer on the panel', async () =>
            (await page.locator('#viewers').textContent()) === '1');
        assert.equal(await page.locator('#resolution').textContent(), '640×360');
        assert.equal(await page.locator('#source').textContent(), 'online');
        assert.match(await page.locator('#fps').textContent(), /^\d+\.\d$/);
        assert.match(await page.locator('#bandwidth').textContent(), /^[\d.]+ (B|kB|MB)\/s$/);
        // Scaled to the window with its aspect ratio: the element fills the stage, the picture
        // keeps 16:9 inside it (object-fit: contain).
        const fit = await page.locator('#stream').evaluate((img) =>
            ({ fit: getComputedStyle(img).objectFit, w: img.naturalWidth, h: img.naturalHeight,
               bw: img.getBoundingClientRect().width, sw: document.getElementById('stage').clientWidth }));
        assert.deepEqual([fit.fit, fit.w, fit.h, fit.bw], ['contain', 640, 360, fit.sw]);

        await page.locator('#fullscreen').click();
        await page.waitForFunction(() => document.fullscreenElement?.id === 'stage');
        await page.locator('#stage').dblclick(); // the button is out of sight in full screen
        await page.waitForFunction(() => !document.fullscreenElement);
        await page.context().close();
    });

    test('snapshot button downloads a timestamped JPEG', async () => {
        const page = await openPage(app);
        await waitState(page, 'live');
        const [download] = await Promise.all([page.waitForEvent('download'),
                                              page.locator('#snapshot').click()]);
        assert.match(download.suggestedFilename(), /^kiosk-\d{8}-\d{6}\.jpg$/);
        const file = fs.readFileSync(await download.path());
        assert.ok(file.length > 1000);
        assert.deepEqual([...file.subarray(0, 3)], [0xff, 0xd8, 0xff]);
        await page.context().close();
    });

    test('a background tab holds no stream and resumes when visible', async () => {
        const page = await openPage(app);
        await waitState(page, 'live');
        await until('1 viewer', async () => (await status(app)).clients.filter((c) => c.streaming).length === 1);
        const setHidden = (hidden) => page.evaluate((h) => {
            Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
            Object.defineProperty(document, 'visibilityState', { configurable: true,
                                                                   get: () => (h ? 'hidden' : 'visible') });
            document.dispatchEvent(new Event('visibilitychange'));
        }, hidden);
        await setHidden(true);
        await until('the stream to close', async () =>
            (await status(app)).clients.filter((c) => c.streaming).length === 0);
        await setHidden(false);
        await waitState(page, 'live');
        await until('1 viewer again', async () =>
            (await status(app)).clients.filter((c) => c.streaming).length === 1);
        await assertMoving(page);
        await page.context().close();
    });

    test('a stream that stops moving without an error is started again', async () => {
        const page = await openPage(app);
        await waitState(page, 'live');
        // What a half-open connection looks like to the page: the <img> keeps its last picture.
        await page.evaluate(() => { document.getElementById('stream').src = 'snapshot'; });
        await page.waitForFunction(() => /snapshot$/.test(document.getElementById('stream').src));
        await page.waitForFunction(() => /stream\?t=/.test(document.getElementById('stream').src),
                                   null, { timeout: 15000 });
        await waitState(page, 'live');
        await assertMoving(page);
        await page.context().close();
    });

    test('SIGUSR1 pauses, SIGUSR2 resumes without a reload', async () => {
        const page = await openPage(app);
        await waitState(page, 'live');
        await page.evaluate(() => { window.notReloaded = true; });

        app.signal('SIGUSR1');
        await app.waitForLog(/SIGUSR1 - switching streaming off/);
        await waitState(page, 'paused');
        assert.equal(await page.locator('#overlay-title').textContent(), 'Paused by the kiosk');
        assert.ok(await page.locator('#stream').isHidden(), 'no frozen picture');
        assert.ok(await page.locator('#snapshot').isDisabled());
        await until('the stream to end', async () =>
            (await status(app)).clients.filter((c) => c.streaming).length === 0);

        app.signal('SIGUSR2');
        await app.waitForLog(/SIGUSR2 - switching streaming on/);
        await waitState(page, 'live');
        assert.equal(await page.evaluate(() => window.notReloaded), true);
        await assertMoving(page);
        await page.context().close();
    });

    test('phone and desktop layouts, light and dark', async () => {
        const layouts = [
            { name: 'web-phone.png', viewport: { width: 390, height: 844 }, colorScheme: 'dark',
              isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
            { name: 'web-desktop.png', viewport: { width: 1280, height: 800 }, colorScheme: 'light' },
        ];
        for (const { name, ...options } of layouts) {
            const page = await openPage(app, options);
            await waitState(page, 'live');
            await until('figures on the panel', async () =>
                (await page.locator('#viewers').textContent()) === '1');
            const box = await page.evaluate(() => {
                const r = (id) => document.getElementById(id).getBoundingClientRect();
                return { scroll: document.documentElement.scrollWidth, width: innerWidth,
                         height: innerHeight, bar: r('bar'), snap: r('snapshot'), full: r('fullscreen'),
                         img: r('stream'), bg: getComputedStyle(document.body).backgroundColor };
            });
            assert.ok(box.scroll <= box.width, `${name}: no sideways scrolling`);
            assert.ok(box.bar.bottom <= box.height + 1, `${name}: the panel is on screen`);
            for (const b of [box.snap, box.full])
                assert.ok(b.right <= box.width && b.bottom <= box.height && b.width >= 40, `${name}: buttons reachable`);
            // Desktop: the picture fills the window above the panel. Phone (portrait): the full
            // width at 16:9 with the panel under it.
            if (box.width > box.height)
                assert.ok(box.img.height > box.height * 0.8, `${name}: the picture gets most of the screen`);
            else
                assert.ok(box.img.width === box.width && Math.abs(box.img.height - box.width * 9 / 16) < 2
                          && box.bar.top >= box.img.bottom - 1, `${name}: full-width picture, panel under it`);
            // The theme follows the system: dark page in dark mode, light in light mode.
            const [r, g, b] = box.bg.match(/\d+/g).map(Number);
            assert.ok(options.colorScheme === 'dark' ? r + g + b < 150 : r + g + b > 600, `${name}: ${box.bg}`);
            await page.screenshot({ path: path.join(OUT_DIR, name) });
            await page.context().close();
        }
    });
});

describe('reconnecting', () => {
    test('the page reconnects when the server restarts on the same port', async () => {
        let app = await App.start();
        const port = app.port;
        const context = await browser.newContext();
        const page = await context.newPage();
        watchErrors(page);
        try {
            await page.goto(app.url);
            await waitState(page, 'live');
            await page.evaluate(() => { window.notReloaded = true; });
            await app.stop();
            await waitState(page, 'offline');
            assert.equal(await page.locator('#overlay-title').textContent(), 'Connection lost');
            assert.match(await page.locator('#overlay-text').textContent(), /Reconnecting in \d+ s/);
            app = await App.start({ port });
            await waitState(page, 'live', 20000);
            assert.equal(await page.evaluate(() => window.notReloaded), true);
            await assertMoving(page);
        } finally {
            await context.close();
            await app.stop();
        }
    });

    test('a camera that is offline shows no signal', async () => {
        const app = await App.start({ source: '/dev/video-e2e-missing' });
        const context = await browser.newContext();
        const page = await context.newPage();
        watchErrors(page);
        try {
            await page.goto(app.url);
            await waitState(page, 'nosignal');
            assert.equal(await page.locator('#overlay-title').textContent(), 'No signal from the camera');
            assert.equal(await page.locator('#source').textContent(), 'offline');
        } finally {
            await context.close();
            await app.stop();
        }
    });
});

describe('with a viewer password', () => {
    let app;
    before(async () => { app = await App.start({ extra: ['--user', 'alice', '--password', 's3cret pass'] }); });
    after(async () => { await app?.stop(); });

    test('without credentials the browser is asked for them', async () => {
        // The challenge that makes every browser show its own sign-in prompt.
        const plain = await get(app.url);
        assert.equal(plain.status, 401);
        assert.match(plain.headers['www-authenticate'], /^Basic realm="MJPEG Kiosk"/);
        for (const route of ['status', 'stream', 'snapshot'])
            assert.equal((await get(app.url + route)).status, 401, route);
        assert.equal((await get(app.url + 'status', { auth: 'alice:wrong' })).status, 401);
        // Headless chromium has no prompt to show: the navigation fails with the challenge
        // unanswered instead of showing the page.
        const context = await browser.newContext();
        const page = await context.newPage();
        watchErrors(page);
        const challenged = [];
        page.on('response', (r) => challenged.push(r.status()));
        const error = await page.goto(app.url).then((r) => r.status(), (e) => e.message);
        assert.ok(error === 401 || /ERR_INVALID_AUTH_CREDENTIALS/.test(error), String(error));
        await context.close();
    });

    test('after signing in once, stream, status and snapshot all work', async () => {
        const context = await browser.newContext({ httpCredentials: { username: 'alice', password: 's3cret pass' } });
        const page = await context.newPage();
        watchErrors(page);
        const urls = [];
        const unsigned = [];
        page.on('request', async (r) => {
            urls.push(r.url());
            if (!(await r.allHeaders()).authorization) unsigned.push(r.url());
        });
        const failed = [];
        page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
        const response = await page.goto(app.url);
        assert.equal(response.status(), 200);
        await waitState(page, 'live');
        await assertMoving(page);
        await until('1 viewer', async () => (await page.locator('#viewers').textContent()) === '1');
        const [download] = await Promise.all([page.waitForEvent('download'),
                                              page.locator('#snapshot').click()]);
        const file = fs.readFileSync(await download.path());
        assert.deepEqual([...file.subarray(0, 3)], [0xff, 0xd8, 0xff]);
        // Same origin, relative URLs: never a password in a URL, and no request turned away
        // once the first challenge was answered.
        assert.ok(urls.some((u) => /\/stream\?/.test(u)) && urls.some((u) => /\/status$/.test(u)));
        assert.ok(urls.every((u) => !u.includes('@') && !u.includes('s3cret')), urls.join('\n'));
        assert.deepEqual(failed.filter((f) => !f.endsWith(app.url)), []);
        // Signed in once (the page's own challenge); every later request carries the
        // credentials by itself, so no second prompt could appear.
        assert.deepEqual(unsigned.filter((u) => u !== app.url), []);
        await context.close();
    });
});

test('no script errors on any page', () => {
    assert.deepEqual(pageErrors, []);
});
