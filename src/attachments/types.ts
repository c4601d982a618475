/**
 * The file types a citizen may send, recognised by their first bytes (magic numbers), never by the
 * URL, the name or the type Zalo declares: those are whatever the sender's phone said.
 */
export const ATTACHMENT_TYPE_NAMES = [
  'jpeg',
  'png',
  'webp',
  'gif',
  'heic',
  'pdf',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'mp4',
  'm4a',
  'aac',
  'mp3',
] as const;
export type AttachmentTypeName = (typeof ATTACHMENT_TYPE_NAMES)[number];

export const MIME: Record<AttachmentTypeName, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  mp4: 'video/mp4',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  mp3: 'audio/mpeg',
};

/** How many leading bytes sniff() wants; fewer is fine when the file is shorter. */
export const SNIFF_BYTES = 8192;

const startsWith = (b: Buffer, bytes: number[], at = 0) => bytes.every((x, i) => b[at + i] === x);
const ascii = (b: Buffer, from: number, to: number) => b.subarray(from, to).toString('latin1');
const extOf = (name?: string) => /\.([a-z0-9]{1,5})$/i.exec(name ?? '')?.[1]?.toLowerCase();

const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);
const MP4_BRANDS = new Set(['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'dash']);
const M4A_BRANDS = new Set(['M4A ', 'M4B ']);

/** ISO base media (HEIC, MP4, M4A): an `ftyp` box whose brands say what the file is. */
function isoBrand(b: Buffer): AttachmentTypeName | undefined {
  if (ascii(b, 4, 8) !== 'ftyp') return undefined;
  const boxEnd = Math.min(b.readUInt32BE(0), b.length);
  const brands = [ascii(b, 8, 12)];
  for (let i = 16; i + 4 <= boxEnd; i += 4) brands.push(ascii(b, i, i + 4));
  if (brands.some((x) => HEIC_BRANDS.has(x))) return 'heic';
  // The major brand decides between audio and video; compatible brands list both families.
  if (M4A_BRANDS.has(brands[0]!)) return 'm4a';
  if (MP4_BRANDS.has(brands[0]!)) return 'mp4';
  return undefined;
}

/** A ZIP is a docx or xlsx when its entry names say so (Office writes them near the start). */
function officeZip(b: Buffer, declaredExt?: string): AttachmentTypeName | undefined {
  const names = ascii(b, 0, b.length);
  if (names.includes('word/')) return 'docx';
  if (names.includes('xl/')) return 'xlsx';
  // Entries can come in any order; an OOXML package with the declared extension is accepted as that.
  if (names.includes('[Content_Types].xml') && (declaredExt === 'docx' || declaredExt === 'xlsx')) return declaredExt;
  return undefined;
}

/** An OLE2 compound file is a .doc or .xls by its stream names, or by the name it was sent with. */
function officeOle(b: Buffer, declaredExt?: string): AttachmentTypeName | undefined {
  const utf16 = b.toString('utf16le') + b.subarray(1).toString('utf16le');
  if (utf16.includes('WordDocument')) return 'doc';
  if (utf16.includes('Workbook') || utf16.includes('Book')) return 'xls';
  return declaredExt === 'doc' || declaredExt === 'xls' ? declaredExt : undefined;
}

/**
 * The type of a file from its first bytes (SNIFF_BYTES of them, or the whole file when shorter).
 * `declaredName` only breaks the tie inside a container format already recognised (ZIP, OLE2).
 */
export function sniff(head: Buffer, declaredName?: string): AttachmentTypeName | undefined {
  const ext = extOf(declaredName);
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (ascii(head, 0, 5) === '%PDF-') return 'pdf';
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') return isoBrand(head);
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return officeZip(head, ext);
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return officeOle(head, ext);
  if (ascii(head, 0, 3) === 'ID3') return 'mp3';
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0) {
    // MPEG audio frame sync: layer bits 00 are AAC in ADTS framing, anything else is MP3.
    return (head[1]! & 0x06) === 0 ? 'aac' : 'mp3';
  }
  return undefined;
}

export type TypeGroup = 'image' | 'document' | 'video' | 'audio';
const GROUPS: Array<[TypeGroup, AttachmentTypeName[]]> = [
  ['image', ['jpeg', 'png', 'webp', 'gif', 'heic']],
  ['document', ['pdf', 'doc', 'docx', 'xls', 'xlsx']],
  ['video', ['mp4']],
  ['audio', ['m4a', 'aac', 'mp3']],
];

/** The accepted types in groups, for people: "ảnh (JPEG, PNG), tệp (PDF)" with the catalogue's labels. */
export function describeTypes(types: readonly string[], labels: Record<TypeGroup, string>): string {
  return GROUPS.map(([group, names]) => {
    const present = names.filter((n) => types.includes(n)).map((n) => n.toUpperCase());
    return present.length ? `${labels[group]} (${present.join(', ')})` : '';
  })
    .filter(Boolean)
    .join(', ');
}
