// CSV in the browser, by the rules the server's lists follow (base/csv.c):
// RFC 4180, a header row, CRLF line ends; one column per member (an object
// of plain values as "name.member"), a list of plain values joined by "; ",
// anything deeper as JSON, null empty; text that starts like a spreadsheet
// formula gets a leading apostrophe.  For the tables of a record's page,
// which are parts of one answer rather than lists of their own.

const plain = (v) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const flat = (v) => v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 && Object.values(v).every(plain);

function quote(s) {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function cell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return quote(/^[=+@\t\r]|^-[^0-9.]/.test(v) ? `'${v}` : v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return quote(v.join('; '));
  if (typeof v === 'object') return quote(JSON.stringify(v));
  return String(v);
}

/** The rows (objects) as CSV text; `first` names columns to put first. */
export function toCsv(rows, first = []) {
  const cols = [...first];
  const add = (c) => {
    if (!cols.includes(c)) cols.push(c);
  };
  for (const r of rows)
    for (const [k, v] of Object.entries(r)) {
      if (k.startsWith('__')) continue; // the page's own marks
      if (flat(v)) for (const k2 of Object.keys(v)) add(`${k}.${k2}`);
      else add(k);
    }
  const split = (c) => cols.some((x) => x.startsWith(`${c}.`));
  const keep = cols.filter((c) => !split(c));
  const value = (r, c) => {
    if (c in r) return r[c];
    const dot = c.indexOf('.');
    return dot > 0 && r[c.slice(0, dot)] ? r[c.slice(0, dot)][c.slice(dot + 1)] : null;
  };
  return [keep.map(quote).join(','), ...rows.map((r) => keep.map((c) => cell(value(r, c))).join(','))].join('\r\n') + '\r\n';
}

/** Offers text as a file named name. */
export function save(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
