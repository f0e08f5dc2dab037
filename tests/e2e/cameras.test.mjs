// The viewer page with several cameras (issue 19 item 4) in one browser engine, E2E_ENGINE =
// chromium | firefox | webkit (engines.mjs), against the real app with named cameras: two test
// patterns and, where the fake V4L2 camera is built (FAKECAM_LIBRARY), two fake cameras at once
// (FAKECAM_DEVICES). ctest runs e2e_cameras_<engine> (tests/e2e/CMakeLists.txt). By hand:
//   KIOSK_APP=build/mjpeg-kiosk FAKECAM_LIBRARY=build/libfakecam.so tests/e2e/run.sh cameras firefox
// E2E_SCREENSHOT_DIR: where web-grid-<engine>.png and web-grid-phone.png go.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch } from './engines.mjs';
import { App, fakecamEnv, get, post, sleep, status, until } from './kiosk.mjs';
import { StreamProxy } from './streamproxy.mjs';

const ENGINE = process.env.E2E_ENGINE || 'chromium';
const OUT_DIR = process.env.E2E_SCREENSHOT_DIR
    || fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-'));
const fake = fakecamEnv();
const UNPLUG = path.join(os.tmpdir(), `kiosk-e2e-unplug-${process.pid}`);
// Named cameras on the command line (issue 19 item 1): a build without them skips, saying so.
const noCameraOption = !spawnSync(process.env.KIOSK_APP, ['--help'], { encoding: 'utf8' }).stdout.includes('--camera')
    && 'this mjpeg-kiosk has no --camera option';

let engine;
before(async () => { engine = await launch(ENGINE); });
after(async () => {
    await engine?.close();
    fs.rmSync(UNPLUG, { force: true });
});

async function openPage(url, options) {
    const page = await engine.newPage(options);
    await page.goto(url);
    return page;
}

// What the page shows: the grid's tiles or the one camera's stream (URLs as the browser resolved
// them: the page's own are relative), and the address.
const shown = (page) => page.evaluate(() => ({
    grid: !document.getElementById('grid').hidden,
    tiles: [...document.querySelectorAll('#grid .tile')].map((t) => ({
        name: t.id.replace(/^tile-/, ''), state: t.dataset.state,
        src: t.querySelector('img').getAttribute('src') && t.querySelector('img').src,
        text: t.textContent, viewers: t.querySelector('.viewers').textContent })),
    stream: document.getElementById('stream').getAttribute('src') && document.getElementById('stream').src,
    relative: !/^[a-z]+:|^\//.test(document.getElementById('stream').getAttribute('src') || ''),
    state: document.body.dataset.state,
    hash: location.hash,
    picker: document.getElementById('camera-picker').value,
    pickerHidden: document.getElementById('camera-picker').hidden,
}));

async function waitShown(page, what, fn, timeoutMs = 20000) {
    return until(what, async () => { const s = await shown(page); return fn(s) && s; }, timeoutMs);
}

const gridLive = (names) => (s) => s.grid && s.tiles.length === names.length
    && s.tiles.every((t, i) => t.name === names[i] && t.state === 'live');
const aloneLive = (name) => (s) => !s.grid && s.state === 'live' && s.relative
    && s.stream && new URL(s.stream).pathname === `/camera/${name}/stream`;

// The picture on screen (not as a canvas sees it: Firefox gives a canvas an early part). WebKit's
// WebDriver returns a black element screenshot for some tiles of a live grid (the top row, here)
// while the page's full screenshot shows them: there the decoded picture, current in WebKit, is
// drawn into a canvas instead.
const pictureSample = (page, id) => (ENGINE === 'webkit'
    ? page.evaluate((i) => {
        const canvas = document.createElement('canvas');
        canvas.width = 64;
        canvas.height = 36;
        const ctx = canvas.getContext('2d');
        ctx.drawImage(document.getElementById(i), 0, 0, 64, 36);
        return ctx.getImageData(0, 0, 64, 36).data.join();
    }, id).then((sample) => Buffer.from(sample))
    : page.screenshot(null, id));

async function assertMoving(page, id) {
    const first = await pictureSample(page, id);
    await until(`${id} to change on screen`, async () => !first.equals(await pictureSample(page, id)), 15000);
}

const pick = (page, name) => page.evaluate((n) => {
    const picker = document.getElementById('camera-picker');
    picker.value = n;
    picker.dispatchEvent(new Event('change', { bubbles: true }));
}, name);

const viewersOf = async (app) => Object.fromEntries((await status(app)).cameras.map((c) => [c.name, c.viewers]));

describe(`several cameras in ${ENGINE}`, { skip: noCameraOption }, () => {
    let app, names, allowed;
    before(async () => {
        const cameras = ['main=test:main', 'yard=test:yard']; // test patterns labelled apart
        if (fake) cameras.push('door=/dev/video0', 'gate=/dev/video2');
        app = await App.start({
            source: null,
            extra: [...cameras.flatMap((c) => ['--camera', c]), '--allow-control', '127.0.0.1'],
            env: fake ? { ...fake, FAKECAM_DEVICES: '/dev/video0,/dev/video2', FAKECAM_UNPLUG_FILE: UNPLUG } : {},
        });
        if (!fake) console.log('no libfakecam.so (FAKECAM_LIBRARY): two test patterns only');
        names = cameras.map((c) => c.split('=')[0]);
        // The sizes offered follow the source's: known after a first frame.
        await until('every camera live', async () => (await status(app)).cameras.every((c) => c.online && c.width > 0));
        allowed = ((await status(app)).profiles?.allowed || []).map((p) => p.width);
    });
    after(async () => { await app?.stop(); });

    test('the kiosk lists its cameras', async () => {
        assert.deepEqual((await status(app)).cameras.map((c) => c.name), names);
    });

    test('the grid shows every camera live and moving, one stream each at an offered size', async () => {
        const page = await openPage(app.url);
        try {
            const s = await waitShown(page, 'every tile live', gridLive(names));
            assert.equal(s.pickerHidden, false);
            assert.equal(s.stream, null, 'no single-camera stream under the grid');
            for (const t of s.tiles) {
                assert.equal(new URL(t.src).pathname, `/camera/${t.name}/stream`);
                const width = Number(new URL(t.src).searchParams.get('width'));
                if (allowed.length) assert.ok(allowed.includes(width), `${t.name} asks width ${width} of ${allowed}`);
                assert.match(t.text, new RegExp(`${t.name}`));
                assert.match(t.viewers, /^\d+ viewers?$/);
            }
            for (const name of names) await assertMoving(page, 'picture-' + name);
            await until('one stream per camera on the kiosk', async () =>
                Object.values(await viewersOf(app)).every((v) => v === 1));
            // Laid out as a grid: no tile over another, each at least a 2×2 (3×3) cell's size.
            const boxes = await page.evaluate(() => {
                const r = (e) => { const b = e.getBoundingClientRect(); return { x: b.x, y: b.y, w: b.width, h: b.height }; };
                return { stage: r(document.getElementById('stage')), tiles: [...document.querySelectorAll('.tile')].map(r) };
            });
            const cells = names.length <= 4 ? 4 : 9;
            for (const [i, a] of boxes.tiles.entries()) {
                assert.ok(a.w * a.h >= boxes.stage.w * boxes.stage.h / cells * 0.8, `tile ${i} is ${a.w}×${a.h}`);
                for (const b of boxes.tiles.slice(i + 1))
                    assert.ok(a.x + a.w <= b.x + 1 || b.x + b.w <= a.x + 1 || a.y + a.h <= b.y + 1 || b.y + b.h <= a.y + 1,
                              'tiles do not overlap');
            }
            await page.screenshot(path.join(OUT_DIR, `web-grid-${ENGINE}.png`));
        } finally {
            await page.close();
        }
    });

    test('on a phone held upright the tiles are stacked in one column', async () => {
        const page = await openPage(app.url, { viewport: { width: 390, height: 844 } });
        try {
            await waitShown(page, 'every tile live, one viewer each', (x) => gridLive(names)(x)
                && x.tiles.every((t) => t.viewers === '1 viewer'));
            const xs = await page.evaluate(() => [...document.querySelectorAll('.tile')].map((t) => Math.round(t.getBoundingClientRect().x)));
            assert.equal(new Set(xs).size, 1, `tiles at x ${xs}`);
            await page.screenshot(path.join(OUT_DIR, ENGINE === 'chromium' ? 'web-grid-phone.png' : `web-grid-phone-${ENGINE}.png`));
        } finally {
            await page.close();
        }
    });

    test('the picker opens one camera whose picture moves, on its own routes; back to the grid', async () => {
        const page = await openPage(app.url);
        try {
            await waitShown(page, 'the grid', gridLive(names));
            const name = names[1];
            await pick(page, name);
            const s = await waitShown(page, `${name} alone`, aloneLive(name));
            assert.equal(s.hash, `#camera=${name}`);
            assert.equal(s.picker, name);
            await assertMoving(page, 'stream');
            const viewer = new URL(s.stream).searchParams.get('viewer');
            await until(`${name}'s status to list this page's stream`, async () =>
                JSON.parse((await get(app.url + `camera/${name}/status`)).body).clients
                    .some((c) => c.streaming && c.viewer === viewer));
            await until('the tiles\' streams closed', async () => {
                const v = await viewersOf(app);
                return names.every((n) => v[n] === (n === name ? 1 : 0));
            });
            const links = await page.evaluate(() => document.getElementById('status-url').textContent);
            assert.equal(links, app.url + `camera/${name}/status`);
            await page.evaluate(() => document.getElementById('grid-button').click());
            const back = await waitShown(page, 'the grid again', gridLive(names));
            assert.equal(back.hash, '');
            assert.equal(back.stream, null);
        } finally {
            await page.close();
        }
    });

    test('a click or Enter on a tile opens its camera; Back returns to the grid', async () => {
        const page = await openPage(app.url);
        try {
            await waitShown(page, 'the grid', gridLive(names));
            await page.evaluate((n) => document.getElementById('tile-' + n).click(), names[0]);
            await waitShown(page, `${names[0]} alone`, aloneLive(names[0]));
            await page.evaluate(() => history.back());
            await waitShown(page, 'the grid after Back', gridLive(names));
            await page.evaluate((n) => document.getElementById('tile-' + n).focus(), names[1]);
            await page.press('Enter');
            const s = await waitShown(page, `${names[1]} alone`, aloneLive(names[1]));
            assert.equal(s.hash, `#camera=${names[1]}`);
        } finally {
            await page.close();
        }
    });

    test('#camera=NAME and camera/NAME/ open that camera; an unknown name shows the grid and the cameras', async () => {
        const name = names.at(-1);
        const page = await openPage(app.url + '#camera=' + name);
        try {
            await waitShown(page, `${name} alone`, aloneLive(name));
            await assertMoving(page, 'stream');
            await page.goto(app.url + `camera/${name}/`);
            const s = await waitShown(page, `${name} alone at its path`, aloneLive(name));
            assert.equal(s.picker, name);
            assert.equal(await page.evaluate(() => document.getElementById('snapshot-url').textContent),
                         app.url + `camera/${name}/snapshot`);
            // From there the grid and the others, still relative to the page.
            await pick(page, '');
            await waitShown(page, 'the grid from the camera\'s path', gridLive(names));
            await pick(page, names[0]);
            await waitShown(page, `${names[0]} from ${name}'s path`, aloneLive(names[0]));
            await page.goto(app.url + '#camera=nosuchcamera');
            await waitShown(page, 'the grid', gridLive(names));
            const toast = await page.evaluate(() => document.getElementById('toast').textContent);
            assert.match(toast, /nosuchcamera/);
            for (const n of names) assert.match(toast, new RegExp(n));
        } finally {
            await page.close();
        }
    });

    test('behind a reverse proxy\'s path prefix: the grid and one camera', async () => {
        const proxy = await new StreamProxy(app, { prefix: '/kiosk' }).listen();
        const page = await openPage(proxy.url);
        try {
            const s = await waitShown(page, 'the grid', gridLive(names));
            for (const t of s.tiles) assert.equal(new URL(t.src).pathname, `/kiosk/camera/${t.name}/stream`);
            await pick(page, names[1]);
            const alone = await waitShown(page, `${names[1]} alone`, (x) => !x.grid && x.state === 'live'
                && x.stream && new URL(x.stream).pathname === `/kiosk/camera/${names[1]}/stream`);
            assert.equal(alone.hash, `#camera=${names[1]}`);
            await assertMoving(page, 'stream');
        } finally {
            await page.close();
            await proxy.close();
        }
    });

    test('streaming switched off: every tile says so, and all come back', async () => {
        const page = await openPage(app.url);
        try {
            await waitShown(page, 'the grid', gridLive(names));
            app.signal('SIGUSR1');
            await waitShown(page, 'every tile off', (s) => s.state === 'paused' && s.tiles.every((t) => t.state === 'off'));
            app.signal('SIGUSR2');
            await waitShown(page, 'the grid live again', gridLive(names));
            for (const name of names) await assertMoving(page, 'picture-' + name);
        } finally {
            await page.close();
        }
    });

    test('a camera unplugged says no signal on its tile while the others move', { skip: !fake && 'no libfakecam.so (FAKECAM_LIBRARY)' }, async () => {
        const page = await openPage(app.url);
        try {
            await waitShown(page, 'the grid', gridLive(names));
            fs.writeFileSync(UNPLUG + '.tmp', 'video2\n');
            fs.renameSync(UNPLUG + '.tmp', UNPLUG);
            const s = await waitShown(page, 'gate without signal', (x) =>
                x.tiles.find((t) => t.name === 'gate')?.state === 'nosignal');
            assert.match(s.tiles.find((t) => t.name === 'gate').text, /No signal/);
            for (const name of names.filter((n) => n !== 'gate')) {
                assert.equal(s.tiles.find((t) => t.name === name).state, 'live');
                await assertMoving(page, 'picture-' + name);
            }
            if (ENGINE === 'chromium') await page.screenshot(path.join(OUT_DIR, 'web-grid-nosignal.png'));
            fs.rmSync(UNPLUG);
            await waitShown(page, 'gate back', gridLive(names), 30000);
            await assertMoving(page, 'picture-gate');
        } finally {
            fs.rmSync(UNPLUG, { force: true });
            await page.close();
        }
    });

    test('the controls drawer of a camera shown alone changes that camera only', { skip: !fake && 'no libfakecam.so (FAKECAM_LIBRARY)' }, async () => {
        const page = await openPage(app.url + '#camera=gate');
        const brightness = async (name) => JSON.parse((await get(app.url + `camera/${name}/controls`)).body)
            .controls.find((c) => c.name === 'brightness').value;
        try {
            const before = await brightness('door');
            await until('the Camera button', async () => page.evaluate(() =>
                !document.getElementById('controls-button').hidden));
            await page.evaluate(() => document.getElementById('controls-button').click());
            await until('the brightness slider', async () => page.evaluate(() => !!document.getElementById('ctl-brightness')));
            await page.evaluate(() => {
                const s = document.getElementById('ctl-brightness');
                s.value = '12';
                s.dispatchEvent(new Event('input', { bubbles: true }));
            });
            await until('brightness 12 on gate', async () => (await brightness('gate')) === 12);
            assert.equal(await brightness('door'), before);
        } finally {
            await post(app.url + 'camera/gate/controls', { brightness: 0 }).catch(() => {});
            await page.close();
        }
    });
});

describe(`one camera in ${ENGINE}`, () => {
    test('no grid and no picker: the page as it always was', async () => {
        const app = await App.start();
        const page = await openPage(app.url);
        try {
            const s = await waitShown(page, 'live', (x) => x.state === 'live');
            assert.deepEqual({ grid: s.grid, tiles: s.tiles.length, picker: s.pickerHidden },
                             { grid: false, tiles: 0, picker: true });
            assert.equal(new URL(s.stream).pathname, '/stream');
            await sleep(2000);
            assert.equal((await shown(page)).grid, false);
        } finally {
            await page.close();
            await app.stop();
        }
    });
});
