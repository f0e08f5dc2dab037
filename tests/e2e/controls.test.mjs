// The viewer page's camera controls drawer in chromium (playwright-core), against the real app on
// the fake V4L2 camera (FAKECAM_LIBRARY = <build>/libfakecam.so; skipped with the reason when it
// is not built). Run by ctest (e2e_controls) or by hand:
//   KIOSK_APP=build/mjpeg-kiosk FAKECAM_LIBRARY=build/libfakecam.so tests/e2e/run.sh controls
// E2E_SCREENSHOT_DIR=docs/screenshots refreshes web-controls.png, the drawer in the README.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromiumBrowser } from './engines.mjs';
import { App, FAKECAM, fakecamEnv, get, post, until } from './kiosk.mjs';

// E2E_SCREENSHOT_DIR: where web-controls.png goes (docs/screenshots refreshes the README's).
const OUT_DIR = process.env.E2E_SCREENSHOT_DIR
    || fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-'));
const camera = fakecamEnv();
const skip = camera ? false : `the fake camera is not built (FAKECAM_LIBRARY=${FAKECAM || 'unset'})`;

let browser;
before(async () => {
    browser = await launchChromiumBrowser();
});
after(async () => { await browser?.close(); });

const pageErrors = [];
async function openPage(app, options = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(app.url);
    // The page has asked /controls at least once (it does with its first status poll).
    await page.waitForFunction(() => controlsUi.list !== null, null, { timeout: 15000 });
    return page;
}

const startCamera = (extra = []) =>
    App.start({ source: '/dev/video0', env: camera, extra });

async function controlsOf(app, auth) {
    const json = JSON.parse((await get(app.url + 'controls', { auth })).body);
    return Object.fromEntries(json.controls.map((c) => [c.name, c]));
}

const inactive = (c) => c.flags.includes('inactive');

describe('controls drawer', { skip }, () => {
    test('hidden when the kiosk does not allow changes from here', async () => {
        const app = await startCamera();
        try {
            const page = await openPage(app);
            assert.equal((await page.evaluate(() => controlsUi.list)).controls_allowed, false);
            assert.ok(await page.locator('#controls-button').isHidden());
            assert.ok(await page.locator('#drawer').isHidden());
            await page.context().close();
        } finally { await app.stop(); }
    });

    test('no drawer for a source without controls', async () => {
        const app = await App.start({ extra: ['--allow-control', '127.0.0.1'] });
        try {
            const page = await openPage(app);
            const list = await page.evaluate(() => controlsUi.list);
            assert.deepEqual([list.controls_allowed, list.available], [true, false]);
            assert.ok(await page.locator('#controls-button').isHidden());
            await page.context().close();
        } finally { await app.stop(); }
    });

    describe('with --allow-control 127.0.0.1', () => {
        let app, page;
        before(async () => {
            app = await startCamera(['--allow-control', '127.0.0.1']);
            page = await openPage(app);
        });
        after(async () => { await page?.context().close(); await app?.stop(); });

        test('opens from the keyboard, grouped like the Camera page, Esc closes', async () => {
            await page.locator('#controls-button').waitFor({ state: 'visible' });
            await page.locator('#controls-button').focus();
            await page.keyboard.press('Enter');
            await page.locator('#drawer').waitFor({ state: 'visible' });
            assert.equal(await page.locator('#controls-button').getAttribute('aria-expanded'), 'true');
            // Focus moved into the drawer, on its first control.
            assert.equal(await page.evaluate(() => document.activeElement.id), 'ctl-brightness');
            const legends = await page.locator('#drawer legend').allTextContents();
            assert.deepEqual(legends, ['image', 'exposure', 'white balance', 'other'].filter((g) => legends.includes(g)));
            assert.ok(['image', 'exposure', 'white balance'].every((g) => legends.includes(g)), legends.join());
            const kinds = await page.evaluate(() => ({
                brightness: document.getElementById('ctl-brightness').type,
                autoExposure: document.getElementById('ctl-auto_exposure').tagName,
                autoWhite: document.getElementById('ctl-white_balance_automatic').getAttribute('role'),
            }));
            assert.deepEqual(kinds, { brightness: 'range', autoExposure: 'SELECT', autoWhite: 'switch' });
            await page.screenshot({ path: path.join(OUT_DIR, 'web-controls.png') });
            await page.keyboard.press('Escape');
            await page.locator('#drawer').waitFor({ state: 'hidden' });
            assert.equal(await page.evaluate(() => document.activeElement.id), 'controls-button');
        });

        test('a brightness change from the keyboard reaches GET /controls', async () => {
            await page.locator('#controls-button').click();
            const slider = page.locator('#ctl-brightness');
            const start = Number(await slider.inputValue());
            await slider.focus();
            for (let i = 0; i < 5; ++i) await page.keyboard.press('ArrowRight');
            await until('brightness +5 on the kiosk', async () =>
                (await controlsOf(app)).brightness.value === start + 5);
            await until('the value in force beside the slider', async () =>
                (await page.locator('.ctl[data-name=brightness] output').textContent()) === String(start + 5));
        });

        test('auto exposure switches the exposure time on and off', async () => {
            const time = page.locator('#ctl-exposure_time_absolute');
            assert.ok(inactive((await controlsOf(app)).exposure_time_absolute), 'inactive at the start');
            assert.ok(await time.isDisabled());
            await page.locator('#ctl-auto_exposure').selectOption({ label: 'Manual Mode' });
            await until('the exposure time enabled', async () => !(await time.isDisabled()));
            assert.ok(!inactive((await controlsOf(app)).exposure_time_absolute));
            // Set it while manual, then back to auto: disabled again, shown as "auto".
            await time.fill(String((await controlsOf(app)).exposure_time_absolute.min + 10));
            await until('the exposure time set', async () =>
                (await controlsOf(app)).exposure_time_absolute.value
                    === (await controlsOf(app)).exposure_time_absolute.min + 10);
            await page.locator('#ctl-auto_exposure').selectOption({ label: 'Aperture Priority Mode' });
            await until('the exposure time disabled', async () => time.isDisabled());
            assert.ok(inactive((await controlsOf(app)).exposure_time_absolute));
            await until('"auto" beside it', async () =>
                (await page.locator('.ctl[data-name=exposure_time_absolute] output').textContent()) === 'auto');
        });

        test('a refused value shows the kiosk\'s reason and the value in force', async () => {
            const before = (await controlsOf(app)).brightness.value;
            // A list gone stale (another camera, another range): the kiosk is the judge.
            await page.evaluate(() => {
                const s = document.getElementById('ctl-brightness');
                s.max = '1000';
                s.value = '500';
                s.dispatchEvent(new Event('input', { bubbles: true }));
            });
            await until('the reason on the drawer', async () =>
                /brightness must be from -64 to 64/.test(await page.locator('#drawer-note').textContent()));
            assert.ok(await page.locator('#drawer-note').isVisible());
            assert.equal((await controlsOf(app)).brightness.value, before, 'nothing applied');
            await until('the slider back at the value in force', async () =>
                Number(await page.locator('#ctl-brightness').inputValue()) === before);
        });

        test('another program\'s change shows up in the open drawer', async () => {
            const answer = await post(app.url + 'controls', { contrast: 20 });
            assert.equal(answer.status, 200, answer.body);
            await until('contrast 20 on the page', async () =>
                Number(await page.locator('#ctl-contrast').inputValue()) === 20);
        });

        test('reset to defaults', async () => {
            await page.locator('#ctl-auto_exposure').selectOption({ label: 'Manual Mode' });
            await until('manual exposure', async () => !inactive((await controlsOf(app)).exposure_time_absolute));
            await page.locator('#ctl-white_balance_automatic').uncheck();
            await until('manual white balance', async () => (await controlsOf(app)).white_balance_automatic.value === 0);
            await page.locator('#controls-reset').click();
            await until('every control at its default', async () => {
                const all = Object.values(await controlsOf(app));
                return all.every((c) => c.type === 'button' || inactive(c) || c.value === c.default);
            });
            const all = await controlsOf(app);
            assert.ok(inactive(all.exposure_time_absolute) && inactive(all.white_balance_temperature));
            await until('the page showing the defaults', async () =>
                Number(await page.locator('#ctl-brightness').inputValue()) === all.brightness.default
                && Number(await page.locator('#ctl-contrast').inputValue()) === all.contrast.default
                && (await page.locator('#ctl-exposure_time_absolute').isDisabled()));
        });
    });

    test('with the viewer password, signed in, no --allow-control needed', async () => {
        const credentials = { username: 'alice', password: 's3cret pass' };
        const app = await startCamera(['--user', 'alice', '--password', 's3cret pass']);
        try {
            const page = await openPage(app, { httpCredentials: credentials });
            await page.locator('#controls-button').click();
            await page.locator('#ctl-saturation').fill('80');
            await until('saturation 80', async () =>
                (await controlsOf(app, 'alice:s3cret pass')).saturation.value === 80);
            // Without the password nobody may: the kiosk refuses, whatever a page would show.
            assert.equal((await post(app.url + 'controls', { saturation: 10 })).status, 401);
            await page.context().close();
        } finally { await app.stop(); }
    });
});

test('no script errors on any page', () => {
    assert.deepEqual(pageErrors, []);
});
