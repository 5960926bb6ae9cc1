//! The geometry of the shift grid, apart from drawing: the day each slot belongs to (in JST,
//! with weekends and public holidays), the frozen name column, how many slot columns fit,
//! and the cursor that moves over people × slots and keeps itself in view.

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use ouen_shared::api::{GridPerson, GridSlot};
use ouen_shared::time::jst;

/// Columns one slot takes on screen.
pub const SLOT_W: usize = 6;
/// Columns of the frozen name column (names are cut to fit, measured as terminals draw them).
pub const NAME_W: usize = 14;
/// Rows above the people: the day, the slot's start, its seats.
pub const HEADER_ROWS: usize = 3;

/// What the grid needs to know of one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    /// Saturday, Sunday or a public holiday (substitute holidays included).
    pub off: bool,
    pub holiday: Option<&'static str>,
}

impl Day {
    pub fn of(date: NaiveDate) -> Day {
        let holiday = ouen_shared::holidays::holiday_name(date);
        Day {
            date,
            off: holiday.is_some() || matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
            holiday,
        }
    }

    /// The day as a column header: `23水`, with `祝` on a public holiday, and the month in
    /// front when `with_month` (the first day shown, and the first of a month): `1/1木祝`.
    pub fn label(&self, with_month: bool, lang: ouen_shared::Lang) -> String {
        let wd = weekday_label(self.date.weekday(), lang);
        let mut s = if with_month {
            format!("{}/{}{wd}", self.date.month(), self.date.day())
        } else {
            format!("{}{wd}", self.date.day())
        };
        if self.holiday.is_some() {
            s.push_str(lang.pick("祝", "*"));
        }
        s
    }
}

/// `月`…`日` in Japanese, `Mo`…`Su` in English.
pub fn weekday_label(wd: Weekday, lang: ouen_shared::Lang) -> &'static str {
    let i = wd.num_days_from_monday() as usize;
    let ja = ["月", "火", "水", "木", "金", "土", "日"];
    let en = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
    lang.pick(ja[i], en[i])
}

/// The JST date a slot starts on (an overnight slot belongs to the day it starts).
pub fn slot_date(starts_at: DateTime<Utc>) -> NaiveDate {
    starts_at.with_timezone(&jst()).date_naive()
}

/// The days of the slots, one per slot, computed once per grid.
pub fn days_of(slots: &[GridSlot]) -> Vec<Day> {
    let mut out: Vec<Day> = Vec::with_capacity(slots.len());
    for s in slots {
        let date = slot_date(s.starts_at);
        match out.last() {
            Some(d) if d.date == date => out.push(d.clone()),
            _ => out.push(Day::of(date)),
        }
    }
    out
}

/// A slot as lists show it: `12/06 22:00–06:00 日`, with `祝` on a public holiday, or the
/// holiday's name when `named`.
pub fn slot_when(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    named: bool,
    lang: ouen_shared::Lang,
) -> String {
    let day = Day::of(slot_date(starts_at));
    let mut when = format!(
        "{} {}",
        ouen_shared::dispatch::format_slot(starts_at, ends_at),
        weekday_label(day.date.weekday(), lang)
    );
    match day.holiday {
        Some(name) if named => {
            when.push(' ');
            when.push_str(name);
        }
        Some(_) => when.push_str(lang.pick("祝", "*")),
        None => {}
    }
    when
}

/// Where the cursor is and what part of the grid is in view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub row: usize,
    pub col: usize,
    /// The first person shown.
    pub top: usize,
    /// The first slot shown (the name column never scrolls).
    pub left: usize,
}

impl Cursor {
    /// Keeps the cursor inside a grid of `rows` × `cols`.
    pub fn clamp(&mut self, rows: usize, cols: usize) {
        self.row = self.row.min(rows.saturating_sub(1));
        self.col = self.col.min(cols.saturating_sub(1));
    }

    /// Moves by rows and columns within `rows` × `cols`.
    pub fn step(&mut self, d_row: isize, d_col: isize, rows: usize, cols: usize) {
        let moved = |at: usize, d: isize, len: usize| -> usize {
            if len == 0 {
                return 0;
            }
            (at as isize + d).clamp(0, len as isize - 1) as usize
        };
        self.row = moved(self.row, d_row, rows);
        self.col = moved(self.col, d_col, cols);
    }

    /// To the first slot of the next (`forward`) or the previous day, or of this day when the
    /// cursor is not on its first slot yet.
    pub fn jump_day(&mut self, days: &[Day], forward: bool) {
        let Some(here) = days.get(self.col) else {
            return;
        };
        if forward {
            if let Some(i) = days.iter().skip(self.col).position(|d| d.date != here.date) {
                self.col += i;
            }
        } else {
            let first_of_day = days[..self.col]
                .iter()
                .rposition(|d| d.date != here.date)
                .map_or(0, |i| i + 1);
            if first_of_day < self.col {
                self.col = first_of_day;
            } else if first_of_day > 0 {
                let prev = days[first_of_day - 1].date;
                self.col = days[..first_of_day]
                    .iter()
                    .rposition(|d| d.date != prev)
                    .map_or(0, |i| i + 1);
            }
        }
    }

    /// Scrolls so that the cursor is inside `visible_rows` × `visible_cols`.
    pub fn scroll_into_view(&mut self, visible_rows: usize, visible_cols: usize) {
        let follow = |at: usize, first: &mut usize, visible: usize| {
            if visible == 0 {
                return;
            }
            if at < *first {
                *first = at;
            } else if at >= *first + visible {
                *first = at + 1 - visible;
            }
        };
        follow(self.row, &mut self.top, visible_rows);
        follow(self.col, &mut self.left, visible_cols);
    }
}

/// How many slot columns fit beside the name column in `width` terminal columns.
pub fn visible_slots(width: usize) -> usize {
    width.saturating_sub(NAME_W + 1) / SLOT_W
}

/// The first person from `from` (wrapping around) whose name or reading contains `query`,
/// folded for width, kana and variant characters (`ｽｽﾞｷ` finds 鈴木 through すずき).
pub fn find_person(people: &[GridPerson], query: &str, from: usize) -> Option<usize> {
    let needle = ouen_shared::text::fold(query);
    if needle.is_empty() || people.is_empty() {
        return None;
    }
    let n = people.len();
    (0..n).map(|i| (from + i) % n).find(|&i| {
        let p = &people[i];
        ouen_shared::text::fold(&p.name).contains(&needle)
            || ouen_shared::text::fold(&p.name_kana).contains(&needle)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use ouen_shared::Lang;

    fn slot(id: i64, y: i32, m: u32, d: u32, h: u32) -> GridSlot {
        let starts_at = jst()
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .unwrap()
            .with_timezone(&Utc);
        GridSlot {
            id,
            starts_at,
            ends_at: starts_at + chrono::Duration::hours(8),
            needed: 1,
            professions: vec![],
            assigned: 0,
            accepted: 0,
            gap: 1,
            unfilled: None,
        }
    }

    #[test]
    fn days_follow_jst_and_mark_weekends_and_holidays() {
        // 2026-12-31 Thu, 2027-01-01 Fri (元日), 2027-01-02 Sat.
        let slots = [
            slot(1, 2026, 12, 31, 9),
            slot(2, 2026, 12, 31, 22),
            slot(3, 2027, 1, 1, 9),
            slot(4, 2027, 1, 2, 9),
        ];
        let days = days_of(&slots);
        assert_eq!(days[1].date, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert!(!days[0].off);
        assert!(days[2].off && days[2].holiday.is_some());
        assert!(days[3].off && days[3].holiday.is_none());
        assert_eq!(days[2].label(true, Lang::Ja), "1/1金祝");
        assert_eq!(days[3].label(false, Lang::Ja), "2土");
        assert_eq!(days[0].label(false, Lang::En), "31Th");
    }

    #[test]
    fn a_substitute_holiday_is_off() {
        // 2026-05-06 (Wed) is the substitute holiday for 憲法記念日 on a Sunday.
        let d = Day::of(NaiveDate::from_ymd_opt(2026, 5, 6).unwrap());
        assert!(d.off && d.holiday.is_some(), "{d:?}");
    }

    #[test]
    fn day_jumps_land_on_the_first_slot_of_a_day() {
        let slots = [
            slot(1, 2026, 12, 3, 9),
            slot(2, 2026, 12, 3, 22),
            slot(3, 2026, 12, 4, 9),
            slot(4, 2026, 12, 4, 13),
            slot(5, 2026, 12, 4, 22),
            slot(6, 2026, 12, 5, 9),
        ];
        let days = days_of(&slots);
        let mut c = Cursor::default();
        c.jump_day(&days, true);
        assert_eq!(c.col, 2);
        c.jump_day(&days, true);
        assert_eq!(c.col, 5);
        c.jump_day(&days, true);
        assert_eq!(c.col, 5, "the last day stays");
        c.col = 4;
        c.jump_day(&days, false);
        assert_eq!(c.col, 2, "back to the start of this day first");
        c.jump_day(&days, false);
        assert_eq!(c.col, 0);
    }

    #[test]
    fn the_cursor_stays_in_view_and_in_the_grid() {
        let mut c = Cursor::default();
        c.step(40, 30, 300, 93);
        c.scroll_into_view(15, 11);
        assert_eq!((c.row, c.col, c.top, c.left), (40, 30, 26, 20));
        c.step(-100, -100, 300, 93);
        c.scroll_into_view(15, 11);
        assert_eq!((c.row, c.col, c.top, c.left), (0, 0, 0, 0));
        c.step(1000, 1000, 300, 93);
        assert_eq!((c.row, c.col), (299, 92));
        assert_eq!(visible_slots(80), 10);
    }

    #[test]
    fn people_are_found_by_folded_name_or_reading() {
        let person = |name: &str, kana: &str| GridPerson {
            member_id: 1,
            name: name.into(),
            name_kana: kana.into(),
            professions: vec![],
            cells: vec![],
            load_minutes: 0,
        };
        let people = [
            person("髙橋 美咲", "たかはし みさき"),
            person("鈴木 花子", "すずき はなこ"),
            person("鈴木 一郎", "すずき いちろう"),
        ];
        assert_eq!(find_person(&people, "ｽｽﾞｷ", 0), Some(1));
        assert_eq!(find_person(&people, "すずき", 2), Some(2));
        assert_eq!(find_person(&people, "高橋", 1), Some(0), "wraps around");
        assert_eq!(find_person(&people, "田中", 0), None);
        assert_eq!(find_person(&people, "", 0), None);
    }
}
