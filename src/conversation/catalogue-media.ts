/**
 * The citizen catalogue's texts about images and files (part of catalogue.ts, which re-exports them):
 * "ảnh" for images, "tệp" for files, everywhere.
 */

/** What people call an attachment of this Zalo type: "ảnh" for images, "tệp" for files. */
export const attachmentNoun = (type: string): string =>
  type === 'image' || type === 'gif'
    ? 'ảnh'
    : type === 'video'
      ? 'video'
      : type === 'audio'
        ? 'ghi âm'
        : type === 'link'
          ? 'liên kết'
          : 'tệp';

/** "ảnh", "tệp", "ảnh và tệp": what a set of attachments is, for a sentence. */
export function attachmentsNoun(types: string[]): string {
  const nouns = [...new Set(types.map(attachmentNoun))];
  if (!nouns.length) return 'tệp';
  return nouns.length === 1 ? nouns[0]! : `${nouns.slice(0, -1).join(', ')} và ${nouns.at(-1)}`;
}

/** "2 ảnh, 1 tệp". */
export function attachmentCounts(types: string[]): string {
  const counts = new Map<string, number>();
  for (const t of types) counts.set(attachmentNoun(t), (counts.get(attachmentNoun(t)) ?? 0) + 1);
  return [...counts].map(([noun, n]) => `${n} ${noun}`).join(', ');
}

/** Replies about citizens' images and files (src/attachments/): why one was not accepted. */
export const viMedia = {
  /** How the accepted types are grouped for people (see describeTypes). */
  groupLabels: { image: 'ảnh', document: 'tệp', video: 'video', audio: 'ghi âm' },
  tooLarge: (what: string, maxMb: string, noun: string) =>
    `Tổng đài chưa nhận được ${what} vì dung lượng vượt quá mức cho phép (tối đa ${maxMb} MB). ` +
    `Anh/Chị vui lòng gửi ${noun} nhỏ hơn${noun === 'tệp' ? ', hoặc chia thành nhiều tệp' : ''}.`,
  typeNotAllowed: (what: string, accepted: string) =>
    `Tổng đài chưa nhận được ${what} vì định dạng này không được hỗ trợ. ` +
    `Tổng đài nhận: ${accepted}. Anh/Chị vui lòng gửi lại theo một trong các định dạng trên.`,
  empty: (what: string) => `${what[0]!.toUpperCase()}${what.slice(1)} không có nội dung. Anh/Chị vui lòng gửi lại.`,
  failed: (what: string) =>
    `Tổng đài chưa tải được ${what} (đường dẫn của Zalo có thể đã hết hạn). Anh/Chị vui lòng gửi lại.`,
  /** "the file “don.pdf” you sent" / "the image you sent". */
  what: (kind: string, name?: string | null) => attachmentNoun(kind) + (name ? ` “${name}”` : '') + ' Anh/Chị gửi',
} as const;
