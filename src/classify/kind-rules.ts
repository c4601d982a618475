import { normalise } from './normalise';
import type { Category, Kind } from './taxonomy';

/**
 * Kind cues on folded, abbreviation-expanded text. The model confuses short questions about a
 * procedure ("làm căn cước cho con cần giấy tờ gì", "đăng ký tạm trú?") with reports, because most
 * reports also name a procedure. A message that asks how, what, where, how long or how much, and
 * says nothing of something that went wrong, is a question (hoi_dap). A report that asks "why"
 * ("sao chưa trả kết quả?", "nộp 2 tháng chưa có") keeps the model's reading.
 */
const END = '( a| ah| ad| admin| vay| va| ha| nhi| nhe| the| roi| z)*$';
const QUESTION: RegExp[] = [
  /\bcan (nhung |cac )?(giay to |ho so |thu tuc |dieu kien )?(gi|nhung gi)\b/,
  /\b(giay to|ho so|le phi|phi|dieu kien|thu tuc) (gi|nao|ra sao|nhu the nao|bao nhieu)\b/,
  /^((\w+ ){0,4}(hoi|cho biet) )?(ve )?thu tuc\b/,
  new RegExp(
    `\\b(lam (the nao|sao)|nhu the nao|the nao|ra sao|o dau|(dang ky|nop|lam|xin) dau|cho nao|noi nao|bao lau|bao gio|bao nhieu)${END}`,
  ),
  /\b(mat|trong|het) bao lau\b|\bbao nhieu (tien|ngay|lau)\b/,
  /^(\w+ ){0,4}(cho|xin|muon) (\w+ )?hoi\b|^(\w+ ){0,3}hoi (ve|thu tuc|cach)\b/,
  new RegExp(`\\b(duoc|phai|co|can|khong|chua) (\\w+ )?(khong|ko|k|chua)${END}`),
];

/** Something went wrong: delay, refusal, demands, bad conduct, a broken service. */
const REPORT: RegExp[] = [
  /\b(chua|van chua|khong|ko|k|van) (thay |duoc |ai )?(co|tra|nhan|giai quyet|xu ly|xong|cap|ky|duyet|lam|tiep|phan hoi|tra loi|cho|biet|bao|chiu|ghi nhan)\b/,
  /\b(khong|chua) (\w+ ){1,2}duoc\b|\b(can bo|cb|nhan vien|xa|phuong|truong) (\w+ )?(noi|bao|keu|dan|quat)\b/,
  /\b\d+ (thang|tuan|ngay|nam|lan|buoi|tieng|gio)\b/,
  /\b(mot|hai|ba|bon|nam|may|nhieu) (thang|tuan|lan|buoi|tieng) (roi|nay|chua|van|ma)\b/,
  /\b(tre hen|qua han|tre han|cham|lau qua|lau vay|lau the|hen (hoai|lai|nhieu|mai|di hen lai)|bat|doi (tien|\d+|them|phi|lot|qua)|ep|sai|loi|mat tam|im luon|dung im)\b/,
  /\b(bi|da bi) (tra ve|tu choi|hen|tru|phat|thu|tra lai|cat|chi)\b/,
  /\b(sao|tai sao|vi sao|lam sao ma) (chua|lau|khong|ko|k|lai|cu|van|bi)\b/,
  /\b(tien ca phe|boi duong|biet dieu|nhung nhieu|gay kho|lam kho|thai do|hach dich|quat|vang mat|treo|bao tri|het so|day qua)\b/,
  /\b(de nghi|kien nghi|khieu nai|to cao|phan anh|buc xuc|vo ly|qua dang)\b/,
];

/** Longer than this, a message tells a story: the model reads stories better than cues do. */
const SHORT = 25;

export interface KindCues {
  question: boolean;
  report: boolean;
}

export function kindCues(text: string): KindCues {
  const f = normalise(text).folded;
  const words = f.split(' ').filter(Boolean).length;
  // A question mark counts on a short message; a long story ending in "?" is still a story.
  const mark = /\?\s*$|\?\s*\n/.test(text) && words <= 15;
  return {
    question: words <= SHORT && (mark || QUESTION.some((re) => re.test(f))),
    report: REPORT.some((re) => re.test(f)),
  };
}

/**
 * The kind after the cues: a report or out-of-scope reading becomes a question when the text asks
 * about a procedure and reports nothing. Out of scope stays so when the domain is unknown ("bạn ở
 * đâu vậy"): a question about nothing administrative is chit-chat.
 */
export function kindByCues(kind: Kind, category: Category, text: string): Kind {
  if (kind !== 'phan_anh' && kind !== 'ngoai_pham_vi') return kind;
  if (kind === 'ngoai_pham_vi' && category === 'khac') return kind;
  const cues = kindCues(text);
  return cues.question && !cues.report ? 'hoi_dap' : kind;
}
