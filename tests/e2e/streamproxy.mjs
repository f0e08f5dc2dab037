// An HTTP proxy in front of the kiosk that spoils the first /stream it carries, to show what the
// viewer page does with bad input: 'corrupt' replaces one part's JPEG with bytes no browser can
// decode (the framing stays right); 'stall' stops passing anything on and stops reading from the
// kiosk (as a half-open connection does), leaving both connections open. With `prefix` (and no
// mode) it is a reverse proxy that serves the kiosk under a path: /kiosk/stream → /stream.
import http from 'node:http';

export class StreamProxy {
    constructor(target, { mode = null, atPart = 20, prefix = '' }) {
        this.target = target;
        this.mode = mode;
        this.prefix = prefix;
        this.atPart = atPart;
        this.streams = 0; // /stream requests seen
        this.spoiledAt = 0; // Date.now() when the first stream was spoiled
        this.server = http.createServer((req, res) => this.forward(req, res));
    }

    async listen() {
        await new Promise((r) => this.server.listen(0, '127.0.0.1', r));
        this.url = `http://127.0.0.1:${this.server.address().port}${this.prefix}/`;
        return this;
    }

    close() {
        this.server.closeAllConnections();
        return new Promise((r) => this.server.close(r));
    }

    forward(req, res) {
        if (!req.url.startsWith(this.prefix + '/')) {
            res.writeHead(404);
            res.end(`not under ${this.prefix}/`);
            return;
        }
        const path = req.url.slice(this.prefix.length);
        const isStream = path.startsWith('/stream');
        const spoil = isStream && ++this.streams === 1 ? this.mode : null;
        const upstream = http.request({ host: '127.0.0.1', port: this.target.port, path,
                                        method: req.method, headers: req.headers }, (ures) => {
            res.writeHead(ures.statusCode, ures.headers);
            if (spoil) this.spoilParts(ures, res, spoil); else ures.pipe(res);
        });
        upstream.on('error', () => res.destroy());
        res.on('close', () => upstream.destroy());
        req.pipe(upstream);
    }

    // Parts are "--boundary CRLF headers CRLF CRLF <Content-Length bytes> CRLF".
    spoilParts(ures, res, mode) {
        let pending = Buffer.alloc(0);
        let parts = 0;
        ures.on('data', (chunk) => {
            pending = Buffer.concat([pending, chunk]);
            for (;;) {
                const headEnd = pending.indexOf('\r\n\r\n');
                if (headEnd < 0) return;
                const length = Number(/Content-Length: (\d+)/i.exec(pending.subarray(0, headEnd))[1]);
                const end = headEnd + 4 + length + 2;
                if (pending.length < end) return;
                let part = pending.subarray(0, end);
                pending = pending.subarray(end);
                if (++parts === this.atPart) {
                    this.spoiledAt = Date.now();
                    if (mode === 'stall') { ures.pause(); ures.removeAllListeners('data'); return; }
                    part = Buffer.from(part);
                    part.fill(0x5a, headEnd + 4 + 2, headEnd + 4 + length - 2); // SOI, garbage, EOI
                }
                res.write(part);
            }
        });
        ures.on('end', () => res.end());
    }
}
