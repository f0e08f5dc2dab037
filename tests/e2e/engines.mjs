// One small interface over the three browser engines the viewer page is tested in:
//   chromium  Debian's chromium, headless, playwright-core (Chrome DevTools Protocol)
//   firefox   Debian's firefox-esr, headless, puppeteer-core over WebDriver BiDi
//   webkit    Debian's WebKitGTK MiniBrowser through WebKitWebDriver (W3C WebDriver); it has no
//             headless mode, so run.sh starts it under xvfb-run
// engine.newPage({ viewport, credentials }) → page with goto(url), evaluate(fn, arg) (fn runs in
// the page, may be async), press(key) (a real key press on the focused element: 'Enter', 'Tab'),
// screenshot(file or null, elementId) → PNG bytes and close().
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { sleep } from './kiosk.mjs';

export const BROWSERS = {
    chromium: process.env.CHROMIUM || '/usr/bin/chromium',
    firefox: process.env.FIREFOX || '/usr/bin/firefox-esr',
    webkit: process.env.WEBKIT_DRIVER || '/usr/bin/WebKitWebDriver',
};

export async function launch(name) {
    const engines = { chromium: launchChromium, firefox: launchFirefox, webkit: launchWebKit };
    if (!engines[name]) throw new Error(`unknown engine "${name}": one of ${Object.keys(engines)}`);
    return { name, ...(await engines[name](BROWSERS[name])) };
}

// Debian's chromium, headless, as playwright-core's Browser: the one launch every chromium test
// uses (each launch gets a fresh temporary profile, its own --user-data-dir).
export async function launchChromiumBrowser(executablePath = BROWSERS.chromium) {
    const { chromium } = await import('playwright-core');
    return chromium.launch({
        executablePath, headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
               '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
}

async function launchChromium(executablePath) {
    const browser = await launchChromiumBrowser(executablePath);
    return {
        async newPage({ viewport = { width: 1280, height: 800 }, credentials } = {}) {
            const context = await browser.newContext({ viewport, httpCredentials: credentials });
            const page = await context.newPage();
            return {
                goto: async (url) => (await page.goto(url))?.status(),
                evaluate: (fn, arg) => page.evaluate(fn, arg),
                press: (key) => page.keyboard.press(key),
                screenshot: (file, id) => (id ? page.locator('#' + id) : page).screenshot({ path: file || undefined }),
                close: () => context.close(),
            };
        },
        close: () => browser.close(),
    };
}

async function launchFirefox(executablePath) {
    const { default: puppeteer } = await import('puppeteer-core');
    const browser = await puppeteer.launch({ browser: 'firefox', executablePath, headless: true });
    return {
        async newPage({ viewport = { width: 1280, height: 800 }, credentials } = {}) {
            const context = await browser.createBrowserContext();
            const page = await context.newPage();
            await page.setViewport(viewport);
            if (credentials) await page.authenticate(credentials);
            return {
                goto: async (url) => (await page.goto(url))?.status(),
                evaluate: (fn, arg) => page.evaluate(fn, arg),
                press: (key) => page.keyboard.press(key),
                async screenshot(file, id) {
                    const target = id ? await page.$('#' + id) : page;
                    return Buffer.from(await target.screenshot({ path: file || undefined }));
                },
                close: () => context.close(),
            };
        },
        close: () => browser.close(),
    };
}

function freePort() {
    return new Promise((resolve) => {
        const server = net.createServer().listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

// Raw W3C WebDriver over HTTP: a handful of commands is all these tests need.
async function launchWebKit(driverPath) {
    const port = await freePort();
    const driver = spawn(driverPath, ['--port=' + port], { stdio: ['ignore', 'ignore', 'pipe'] });
    let driverLog = '';
    driver.stderr.on('data', (c) => { driverLog += c; });
    const base = `http://127.0.0.1:${port}`;
    async function wd(method, path, body) {
        const response = await fetch(base + path, {
            method, headers: { 'content-type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body) });
        const json = await response.json();
        if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(json.value)}`);
        return json.value;
    }
    for (let i = 0; ; ++i) {
        try { await wd('GET', '/status'); break; } catch (e) {
            if (i > 100) throw new Error(`WebKitWebDriver did not start: ${e.message}\n${driverLog}`);
            await sleep(100);
        }
    }
    const binary = ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
                    '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser'].find((f) => fs.existsSync(f));
    let open = null; // WebKitWebDriver runs one session at a time: a failed test's is ended here
    return {
        async newPage({ viewport = { width: 1280, height: 800 }, credentials } = {}) {
            if (open) await wd('DELETE', open).catch(() => {});
            const options = binary ? { binary, args: ['--automation'] } : { args: ['--automation'] };
            const session = await wd('POST', '/session', {
                capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': options } } });
            const s = `/session/${session.sessionId}`;
            open = s;
            // The window's outer size: the page gets it less the window's own bars.
            await wd('POST', s + '/window/rect', viewport);
            return {
                async goto(url) {
                    // WebDriver has no credentials command: WebKit takes them from the URL.
                    const u = new URL(url);
                    if (credentials) { u.username = credentials.username; u.password = credentials.password; }
                    await wd('POST', s + '/url', { url: u.href });
                },
                // W3C key actions: keys by their WebDriver code points.
                press: (key) => {
                    const value = { Enter: '\uE007', Tab: '\uE004', Escape: '\uE00C' }[key] || key;
                    return wd('POST', s + '/actions', { actions: [{ type: 'key', id: 'keyboard', actions: [
                        { type: 'keyDown', value }, { type: 'keyUp', value }] }] });
                },
                evaluate: (fn, arg) => wd('POST', s + '/execute/async', {
                    script: 'const done = arguments[arguments.length - 1];'
                        + `Promise.resolve().then(() => (${fn})(arguments[0]))`
                        + '.then(done, (e) => done({ __error: String(e) }));',
                    args: [arg === undefined ? null : arg] }).then((v) => {
                    if (v && v.__error) throw new Error(v.__error);
                    return v;
                }),
                async screenshot(file, id) {
                    let path = s + '/screenshot';
                    if (id) {
                        const el = await wd('POST', s + '/element', { using: 'css selector', value: '#' + id });
                        path = `${s}/element/${Object.values(el)[0]}/screenshot`;
                    }
                    const png = Buffer.from(await wd('GET', path), 'base64');
                    if (file) fs.writeFileSync(file, png);
                    return png;
                },
                async close() {
                    if (open === s) open = null;
                    await wd('DELETE', s);
                },
            };
        },
        async close() { driver.kill(); },
    };
}
