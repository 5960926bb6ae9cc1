//! The 47 prefectures (JIS X 0401), from the Ministry of Internal Affairs code list (CC0).

/// One prefecture: its two-digit code, name and reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrefectureInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub kana: &'static str,
    pub name_en: &'static str,
}

macro_rules! prefectures {
    ($($code:literal $name:literal $kana:literal $en:literal;)+) => {
        /// All 47 prefectures in code order.
        pub const PREFECTURES: &[PrefectureInfo] = &[
            $(PrefectureInfo { code: $code, name: $name, kana: $kana, name_en: $en },)+
        ];
    };
}

prefectures! {
    "01" "北海道" "ホッカイドウ" "Hokkaido"; "02" "青森県" "アオモリケン" "Aomori";
    "03" "岩手県" "イワテケン" "Iwate"; "04" "宮城県" "ミヤギケン" "Miyagi";
    "05" "秋田県" "アキタケン" "Akita"; "06" "山形県" "ヤマガタケン" "Yamagata";
    "07" "福島県" "フクシマケン" "Fukushima"; "08" "茨城県" "イバラキケン" "Ibaraki";
    "09" "栃木県" "トチギケン" "Tochigi"; "10" "群馬県" "グンマケン" "Gunma";
    "11" "埼玉県" "サイタマケン" "Saitama"; "12" "千葉県" "チバケン" "Chiba";
    "13" "東京都" "トウキョウト" "Tokyo"; "14" "神奈川県" "カナガワケン" "Kanagawa";
    "15" "新潟県" "ニイガタケン" "Niigata"; "16" "富山県" "トヤマケン" "Toyama";
    "17" "石川県" "イシカワケン" "Ishikawa"; "18" "福井県" "フクイケン" "Fukui";
    "19" "山梨県" "ヤマナシケン" "Yamanashi"; "20" "長野県" "ナガノケン" "Nagano";
    "21" "岐阜県" "ギフケン" "Gifu"; "22" "静岡県" "シズオカケン" "Shizuoka";
    "23" "愛知県" "アイチケン" "Aichi"; "24" "三重県" "ミエケン" "Mie";
    "25" "滋賀県" "シガケン" "Shiga"; "26" "京都府" "キョウトフ" "Kyoto";
    "27" "大阪府" "オオサカフ" "Osaka"; "28" "兵庫県" "ヒョウゴケン" "Hyogo";
    "29" "奈良県" "ナラケン" "Nara"; "30" "和歌山県" "ワカヤマケン" "Wakayama";
    "31" "鳥取県" "トットリケン" "Tottori"; "32" "島根県" "シマネケン" "Shimane";
    "33" "岡山県" "オカヤマケン" "Okayama"; "34" "広島県" "ヒロシマケン" "Hiroshima";
    "35" "山口県" "ヤマグチケン" "Yamaguchi"; "36" "徳島県" "トクシマケン" "Tokushima";
    "37" "香川県" "カガワケン" "Kagawa"; "38" "愛媛県" "エヒメケン" "Ehime";
    "39" "高知県" "コウチケン" "Kochi"; "40" "福岡県" "フクオカケン" "Fukuoka";
    "41" "佐賀県" "サガケン" "Saga"; "42" "長崎県" "ナガサキケン" "Nagasaki";
    "43" "熊本県" "クマモトケン" "Kumamoto"; "44" "大分県" "オオイタケン" "Oita";
    "45" "宮崎県" "ミヤザキケン" "Miyazaki"; "46" "鹿児島県" "カゴシマケン" "Kagoshima";
    "47" "沖縄県" "オキナワケン" "Okinawa";
}

/// Looks a prefecture up by its two-digit code.
pub fn prefecture(code: &str) -> Option<&'static PrefectureInfo> {
    PREFECTURES.iter().find(|p| p.code == code)
}

impl PrefectureInfo {
    /// The name in the given language.
    pub fn label(&self, lang: crate::Lang) -> &'static str {
        lang.pick(self.name, self.name_en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forty_seven_in_order() {
        assert_eq!(PREFECTURES.len(), 47);
        for (i, p) in PREFECTURES.iter().enumerate() {
            assert_eq!(p.code, format!("{:02}", i + 1));
        }
        assert_eq!(prefecture("13").map(|p| p.name), Some("東京都"));
        assert!(prefecture("48").is_none());
    }
}
