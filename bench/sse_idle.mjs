// Holds N connections to GET /api/v1/events open without reading them
// (idle clients: their sockets fill, then they cost the server nothing),
// for at most SECONDS.  Prints "sse_connected N" once all are open and
// "sse_open N" (still open) when it ends.
//   node bench/sse_idle.mjs URL N SECONDS
import net from 'node:net';

const [url, n, secs] = [new URL(process.argv[2]), Number(process.argv[3]), Number(process.argv[4])];
const socks = [];
let open = 0;
for (let i = 0; i < n; i++) {
  const s = net.connect(Number(url.port), url.hostname, () => {
    s.write(`GET /api/v1/events HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`);
    s.pause(); // never read
    if (++open === n) console.log(`sse_connected ${open}`);
  });
  s.on('error', () => {});
  s.on('close', () => open--);
  socks.push(s);
}
setTimeout(() => {
  console.log(`sse_open ${open}`);
  for (const s of socks) s.destroy();
  process.exit(0);
}, secs * 1000);
