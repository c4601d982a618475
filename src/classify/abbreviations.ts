/**
 * Chat abbreviations and domain shorthands as citizens type them, keyed by their folded form
 * (lower case, no diacritics), expanded to the words they stand for. Ambiguous shorthands keep the
 * reading that matters for classifying administrative matters.
 */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  // chat
  ko: 'không', k: 'không', kg: 'không', kh: 'không', hk: 'không', hok: 'không', khong: 'không',
  dc: 'được', duoc: 'được', dk: 'được', đc: 'được', đk: 'được',
  j: 'gì', gi: 'gì', z: 'vậy', v: 'vậy', vay: 'vậy',
  bn: 'bao nhiêu', bnh: 'bao nhiêu', mk: 'mình', mn: 'mọi người',
  r: 'rồi', ms: 'mới', cx: 'cũng', vs: 'với', trc: 'trước', ntn: 'như thế nào', bt: 'biết',
  e: 'em', a: 'anh', c: 'chị', ad: 'admin', add: 'admin', ae: 'anh em',
  tks: 'cảm ơn', thanks: 'cảm ơn', thank: 'cảm ơn', thx: 'cảm ơn', cam: 'cảm', camon: 'cảm ơn',
  ok: 'ok', oke: 'ok', okie: 'ok', uh: 'ừ', uk: 'ừ', um: 'ừ',
  sdt: 'số điện thoại', tr: 'triệu', trieu: 'triệu', k0: 'không',
  // administration
  sdd: 'sổ đỏ', sđ: 'sổ đỏ',
  gcn: 'giấy chứng nhận', qsdd: 'quyền sử dụng đất', qsdđ: 'quyền sử dụng đất',
  gplx: 'giấy phép lái xe', dkx: 'đăng ký xe', gpxd: 'giấy phép xây dựng',
  cccd: 'căn cước công dân', cmnd: 'chứng minh nhân dân', vneid: 'vneid',
  ubnd: 'ủy ban nhân dân', hdnd: 'hội đồng nhân dân', ub: 'ủy ban',
  dvc: 'dịch vụ công', tthc: 'thủ tục hành chính', hcc: 'hành chính công',
  bhxh: 'bảo hiểm xã hội', bhyt: 'bảo hiểm y tế', bhtn: 'bảo hiểm thất nghiệp',
  hkd: 'hộ kinh doanh', dn: 'doanh nghiệp', dkkd: 'đăng ký kinh doanh', gpkd: 'giấy phép kinh doanh',
  tncn: 'thu nhập cá nhân', mst: 'mã số thuế', hddt: 'hóa đơn điện tử', hđđt: 'hóa đơn điện tử',
  lltp: 'lý lịch tư pháp', ks: 'khai sinh', csgt: 'cảnh sát giao thông',
  tp: 'thành phố', tx: 'thị xã', ttr: 'thanh tra', gd: 'giáo dục', pgd: 'phòng giáo dục',
};
