// The app under test and plain HTTP helpers, shared by the browser tests of every engine.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const APP = process.env.KIOSK_APP;
// Small frames keep two shared cores free for the browser; the page does not care.
const APP_ARGS = ['--headless', '--resolution', '640x360', '--fps', '15'];

if (!APP || !fs.existsSync(APP))
    throw new Error('KIOSK_APP must name the built mjpeg-kiosk binary');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class App {
    constructor(proc) {
        this.proc = proc;
        this.log = '';
        this.exited = once(proc, 'exit');
    }

    // source null: none given, for an app whose cameras are named in `extra` (--camera NAME=SPEC).
    static async start({ port = 0, source = 'test', extra = [], env = {} } = {}) {
        const sourceArgs = source === null ? [] : ['--source', source];
        const proc = spawn(APP, [...APP_ARGS, ...sourceArgs, '--port', String(port), ...extra],
                           { stdio: ['ignore', 'pipe', 'pipe'],
                             env: { ...process.env, QT_QPA_PLATFORM: 'offscreen', ...env } });
        const app = new App(proc);
        app.port = await new Promise((resolve, reject) => {
            const onData = (chunk) => {
                app.log += chunk;
                const m = app.log.match(/listening on \S+ port (\d+)/);
                if (m) resolve(Number(m[1]));
            };
            proc.stdout.on('data', onData);
            proc.stderr.on('data', onData);
            proc.on('exit', (code) => reject(new Error(`app exited (${code}) before listening:\n${app.log}`)));
            setTimeout(() => reject(new Error(`app not listening after 15 s:\n${app.log}`)), 15000);
        });
        app.url = `http://127.0.0.1:${app.port}/`;
        return app;
    }

    signal(name) { this.proc.kill(name); }

    // Stream connections the kiosk accepted so far, as its log tells them.
    viewersConnected() { return (this.log.match(/viewer connected:/g) || []).length; }

    async waitForLog(re, timeoutMs = 5000) {
        const deadline = Date.now() + timeoutMs;
        while (!re.test(this.log)) {
            if (Date.now() > deadline) throw new Error(`no ${re} in the app's log:\n${this.log}`);
            await sleep(50);
        }
    }

    async stop() {
        if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
        this.proc.kill('SIGTERM');
        const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
        await this.exited;
        clearTimeout(timer);
    }
}

// The fake V4L2 camera (../shared/tools/fakecam, built as <build>/libfakecam.so and named by
// FAKECAM_LIBRARY): App.start({ source: '/dev/video0', env: fakecamEnv() }). Its saved control
// values go to a fresh config folder, so that no run inherits another's. null when not built.
export const FAKECAM = process.env.FAKECAM_LIBRARY;
export function fakecamEnv() {
    if (!FAKECAM || !fs.existsSync(FAKECAM)) return null;
    return { LD_PRELOAD: FAKECAM, FAKECAM_FORMATS: 'YUYV',
             XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-config-')) };
}

export function post(url, body, { auth, headers = { 'Content-Type': 'application/json' } } = {}) {
    return new Promise((resolve, reject) => {
        const data = typeof body === 'string' ? body : JSON.stringify(body);
        const req = http.request(url, { method: 'POST', auth, headers }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
        });
        req.on('error', reject);
        req.end(data);
    });
}

export function get(url, { auth, maxBytes = 0, headers = {} } = {}) {
    // Reads the head and up to maxBytes of the body, then hangs up (endless streams).
    return new Promise((resolve, reject) => {
        const req = http.get(url, { auth, headers }, (res) => {
            const chunks = [];
            let size = 0;
            const done = () => resolve({ status: res.statusCode, headers: res.headers,
                                         body: Buffer.concat(chunks) });
            res.on('data', (c) => {
                chunks.push(c);
                size += c.length;
                if (maxBytes && size >= maxBytes) { done(); req.destroy(); }
            });
            res.on('end', done);
            res.on('error', () => {});
        });
        req.on('error', reject);
        req.setTimeout(10000, () => req.destroy(new Error('timeout')));
    });
}

export async function status(app, auth) {
    return JSON.parse((await get(app.url + 'status', { auth })).body);
}

export async function streamingClients(app, auth) {
    return (await status(app, auth)).clients.filter((c) => c.streaming);
}

export async function until(what, fn, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
        try {
            last = await fn();
            if (last) return last;
        } catch (e) { last = e; }
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
        await sleep(100);
    }
}
