import { z } from 'zod';

/** The classification contract (shared/taxonomy.md, v1). Codes are fixed; labels are for people. */
export const CATEGORIES = {
  dat_dai: 'Đất đai',
  xay_dung: 'Xây dựng, nhà ở, quy hoạch',
  giao_thong: 'Giao thông, phương tiện',
  ho_tich: 'Hộ tịch',
  tu_phap: 'Tư pháp khác',
  cu_tru: 'Cư trú, căn cước, hộ chiếu',
  kinh_doanh: 'Đăng ký kinh doanh, đầu tư',
  thue: 'Thuế, phí, lệ phí',
  bhxh: 'Bảo hiểm xã hội, bảo hiểm y tế',
  lao_dong: 'Lao động, việc làm, chính sách xã hội',
  y_te: 'Y tế',
  giao_duc: 'Giáo dục',
  moi_truong: 'Môi trường, nông nghiệp',
  dich_vu_cong: 'Dịch vụ công trực tuyến, một cửa',
  cong_vu: 'Thái độ, trách nhiệm công vụ',
  khac: 'Khác',
} as const;

export const KINDS = {
  phan_anh: 'Phản ánh',
  kien_nghi: 'Kiến nghị',
  hoi_dap: 'Hỏi đáp',
  khieu_nai_to_cao: 'Khiếu nại, tố cáo',
  khen: 'Khen ngợi',
  ngoai_pham_vi: 'Ngoài phạm vi',
} as const;

export type Category = keyof typeof CATEGORIES;
export type Kind = keyof typeof KINDS;
export const CATEGORY_CODES = Object.keys(CATEGORIES) as Category[];
export const KIND_CODES = Object.keys(KINDS) as Kind[];

/** One labelled message of the corpus (data/corpus/*.jsonl). */
export const labelledSchema = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  category: z.enum(CATEGORY_CODES as [Category, ...Category[]]),
  kind: z.enum(KIND_CODES as [Kind, ...Kind[]]),
  conduct: z.boolean(),
  emergency: z.boolean(),
  style: z.string().optional(),
});
export type Labelled = z.infer<typeof labelledSchema>;

export interface Classification {
  category: Category;
  kind: Kind;
  conduct: boolean;
  emergency: boolean;
  confidence: { category: number; kind: number; conduct: number; emergency: number };
}
