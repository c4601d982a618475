import { parseTrackingCode, withoutTrackingCode } from '../../tickets/tracking-code';
import { PAYLOAD } from '../catalogue';
import { folded } from './words';

/**
 * What a message asks the bot to do, when it is a command rather than content: a button's payload,
 * or a short typed phrase ("tra cứu", "gặp tổng đài viên", "xóa dữ liệu của tôi"). A long message
 * that merely mentions "tra cứu" is content, not a command.
 */
export type Command =
  | { kind: 'menu' }
  | { kind: 'report' }
  | { kind: 'lookup'; code?: string }
  | { kind: 'ask_procedure' }
  | { kind: 'handoff' }
  | { kind: 'delete_data' }
  | { kind: 'withdraw'; code?: string }
  | { kind: 'add_info'; code?: string }
  | { kind: 'reopen'; code?: string }
  | { kind: 'confirm' }
  | { kind: 'edit' }
  | { kind: 'cancel' }
  | { kind: 'rate'; rating: number; code?: string };

const PHRASES: Array<[RegExp, Command['kind']]> = [
  [/^(xoa|huy) (het )?(du lieu|thong tin)( ca nhan)?( cua (toi|minh|em))?$/, 'delete_data'],
  [
    /^(gap|noi chuyen voi|chuyen|ket noi|cho gap|can gap) (tong dai vien|nhan vien|can bo|nguoi that|tu van vien)$/,
    'handoff',
  ],
  [/^(tong dai vien|nhan vien tu van|nguoi that)$/, 'handoff'],
  [/^(chua|van chua|khong) (duoc )?giai quyet( xong)?$/, 'reopen'],
  [/^rut (lai )?(phan anh|kien nghi|ho so|don)$/, 'withdraw'],
  [/^bo sung( them)?( thong tin| noi dung| ho so)?$/, 'add_info'],
  [/^(tra cuu|kiem tra|xem)( lai)?( tinh trang| tien do| trang thai| ket qua)?( ho so| phan anh| ma)?$/, 'lookup'],
  [/^(menu|danh muc|bat dau|start|tro giup|help)$/, 'menu'],
  [/^(gui|tao) (phan anh|kien nghi)( moi)?$/, 'report'],
  [/^hoi thu tuc$/, 'ask_procedure'],
  [/^(sua|chinh sua|sua lai)$/, 'edit'],
  [/^(huy|huy bo|thoi khong gui|khong gui nua)$/, 'cancel'],
];

function fromPayload(text: string): Command | null {
  const [head, arg] = text.split(':', 2) as [string, string | undefined];
  const code = arg ? (parseTrackingCode(arg) ?? undefined) : undefined;
  switch (head) {
    case PAYLOAD.menu:
      return { kind: 'menu' };
    case PAYLOAD.report:
      return { kind: 'report' };
    case PAYLOAD.lookup:
      return { kind: 'lookup', code };
    case PAYLOAD.askProcedure:
      return { kind: 'ask_procedure' };
    case PAYLOAD.handoff:
      return { kind: 'handoff' };
    case PAYLOAD.confirm:
      return { kind: 'confirm' };
    case PAYLOAD.edit:
      return { kind: 'edit' };
    case PAYLOAD.cancel:
      return { kind: 'cancel' };
    case PAYLOAD.withdraw:
      return { kind: 'withdraw', code };
    case PAYLOAD.addInfo:
      return { kind: 'add_info', code };
    case PAYLOAD.reopen:
      return { kind: 'reopen', code };
    case PAYLOAD.rate: {
      const [codePart, n] = (arg ?? '').split('/');
      const rating = Number(n);
      return rating >= 1 && rating <= 5
        ? { kind: 'rate', rating, code: parseTrackingCode(codePart ?? '') ?? undefined }
        : null;
    }
    default:
      return null;
  }
}

export function parseCommand(text: string): Command | null {
  const trimmed = text.normalize('NFC').trim();
  if (trimmed.startsWith('#')) return fromPayload(trimmed);
  const code = parseTrackingCode(trimmed) ?? undefined;
  const rest = folded(code ? withoutTrackingCode(trimmed) : trimmed);
  if (rest.split(' ').length > 8) return null;
  for (const [re, kind] of PHRASES) {
    if (!re.test(rest)) continue;
    if (kind === 'lookup' || kind === 'withdraw' || kind === 'add_info' || kind === 'reopen') return { kind, code };
    return { kind } as Command;
  }
  // A code with little around it ("mã PA-2026-000123", "PA2026000123 sao rồi") is a lookup.
  if (code && rest.split(' ').filter(Boolean).length <= 5) return { kind: 'lookup', code };
  return null;
}
