// CSV as RFC 4180 writes it: commas, double quotes around fields that need them, "" for a quote,
// CRLF or LF between records. Sheets are stored as CSV, so the grid reads and writes this.

export function parseCSV(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const source = String(text ?? '');
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function quote(field) {
  const value = String(field ?? '');
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Rows to CSV; trailing empty rows and columns are dropped so an untouched grid saves what it read. */
export function toCSV(rows) {
  const trimmed = rows.map((row) => {
    const copy = [...row];
    while (copy.length && copy[copy.length - 1] === '') copy.pop();
    return copy;
  });
  while (trimmed.length && trimmed[trimmed.length - 1].length === 0) trimmed.pop();
  const width = Math.max(0, ...trimmed.map((row) => row.length));
  return trimmed.map((row) => Array.from({ length: width }, (_, i) => quote(row[i] ?? '')).join(',')).join('\n');
}

/** A1-style column name: 0 → A, 25 → Z, 26 → AA. */
export function columnName(index) {
  let name = '';
  let n = index + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}
