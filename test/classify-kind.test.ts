import { kindByCues, kindCues } from '../src/classify/kind-rules';
import { Classifier } from '../src/classify/model';

/** Questions about a procedure come out as hỏi đáp; reports that ask "why" stay reports. */
const QUESTIONS = [
  'làm căn cước cho con cần giấy tờ gì',
  'lam can cuoc cho con can giay to gi',
  'cho hoi thu tuc dang ky khai sinh can gi',
  'Cho hỏi đăng ký khai sinh cho con cần giấy tờ gì ạ?',
  'hỏi về bảo hiểm thất nghiệp',
  'hoi ve bao hiem that nghiep',
  'đăng ký tạm trú?',
  'làm hộ chiếu ở đâu',
  'doi bang lai xe mat bao lau',
  'cấp lại sổ đỏ bị mất thì làm sao',
  'dang ky tam tru online duoc ko',
  'Ngoài giờ hành chính có nơi nhận hồ sơ không?',
];
const REPORTS = [
  'lam can cuoc cho con 2 thang chua co',
  'sao chưa trả kết quả?',
  'nộp 2 tháng chưa có',
  'hồ sơ sổ đỏ nộp 3 tháng sao chưa trả kết quả?',
  'đi làm căn cước 3 lần vẫn bị hẹn, tại sao vậy?',
  'Xin hỏi sao đổi bằng lái lâu vậy?',
  'lên phường hỏi thủ tục hkd, cb nói "hỏi google đi", ko thèm giải thích',
  'cổng dvc ko chọn đc thủ tục nào',
  'Kết quả trả qua bưu điện bị ướt nhòe hết con dấu.',
];

describe('kind cues', () => {
  it.each(QUESTIONS)('reads "%s" as a question', (t) => expect(kindCues(t)).toEqual({ question: true, report: false }));
  it.each(REPORTS)('does not turn "%s" into a question', (t) =>
    expect(kindByCues('phan_anh', 'dat_dai', t)).toBe('phan_anh'),
  );
  it('leaves other kinds alone, and chit-chat with no domain out of scope', () => {
    expect(kindByCues('kien_nghi', 'dat_dai', 'đề nghị mở cửa thứ bảy được không?')).toBe('kien_nghi');
    expect(kindByCues('ngoai_pham_vi', 'khac', 'bạn ở đâu vậy')).toBe('ngoai_pham_vi');
    expect(kindByCues('ngoai_pham_vi', 'cu_tru', 'làm hộ chiếu ở đâu')).toBe('hoi_dap');
  });
  it('a long story ending in a question mark is not a question by the mark alone', () => {
    const story =
      'tôi lên xã nộp đơn từ tháng trước, cán bộ nhận rồi để đó, hôm nay lên hỏi thì bảo chưa thấy, ' +
      'giờ tôi phải chờ đến khi nào nữa đây?';
    expect(kindCues(story).question).toBe(false);
  });
});

describe('the shipped model with the cues', () => {
  const model = Classifier.load();
  it.each(QUESTIONS)('labels "%s" hoi_dap', (t) => expect(model.classify(t).kind).toBe('hoi_dap'));
  it.each(REPORTS.slice(0, 5))('labels "%s" phan_anh', (t) => expect(model.classify(t).kind).toBe('phan_anh'));
  it('a cued kind carries a confidence in [0.5, 1]', () => {
    const c = model.classify('hỏi về bảo hiểm thất nghiệp').confidence.kind;
    expect(c).toBeGreaterThanOrEqual(0.5);
    expect(c).toBeLessThanOrEqual(1);
  });
});
