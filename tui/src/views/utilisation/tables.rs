//! The utilisation tables as rows of text, each with the figure its bar chart draws. The bar
//! column takes the width the figures leave, and goes when too little is left, so a narrow
//! terminal gets the table alone.

use super::charts::{bar, percent, sparkline};
use crate::views::reports::draw::hours;
use crate::widgets::table::{widths, Column, GAP};
use ouen_shared::api::{CapacityAhead, DispatchUtilisation, MemberCount, UtilisationStep};
use ouen_shared::{Lang, MembershipStatus, Profession};
use std::collections::BTreeMap;

/// The narrowest bar worth drawing, and the widest.
const BAR_MIN: usize = 4;
const BAR_MAX: usize = 24;

/// A table: its columns, its rows, and the figure of each row a bar shows after the first
/// column.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    pub bars: Option<Vec<i64>>,
}

impl Table {
    /// The columns and rows to draw in `total` columns: the bar column, when there is room
    /// for it, after the first.
    pub fn laid_out(&self, total: usize) -> (Vec<Column>, Vec<Vec<String>>) {
        let Some(values) = &self.bars else {
            return (self.columns.clone(), self.rows.clone());
        };
        let used: usize = widths(&self.columns, &self.rows, usize::MAX / 2)
            .iter()
            .sum::<usize>()
            + GAP * self.columns.len();
        let room = total.saturating_sub(used).min(BAR_MAX);
        if room < BAR_MIN {
            return (self.columns.clone(), self.rows.clone());
        }
        let max = values.iter().copied().max().unwrap_or(0);
        let mut columns = self.columns.clone();
        columns.insert(1, Column::new("", room, room).ranked(1));
        let rows = self
            .rows
            .iter()
            .zip(values)
            .map(|(row, v)| {
                let mut row = row.clone();
                row.insert(1.min(row.len()), bar(*v, max, room));
                row
            })
            .collect();
        (columns, rows)
    }
}

fn prefecture_name(code: &str) -> String {
    ouen_shared::prefecture::prefecture(code)
        .map(|p| p.name.to_string())
        .unwrap_or_else(|| code.to_string())
}

fn titled(title: &str, min: usize, max: usize) -> Column {
    Column::new(title, min, max)
}

/// Members: by prefecture when the rows hold more than one (the ministry, the admin), else
/// by profession; approved, applied and the rest, the bar the approved.
pub fn members(rows: &[MemberCount], lang: Lang) -> Table {
    let by_prefecture = rows
        .iter()
        .map(|r| &r.prefecture_code)
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        > 1;
    let mut groups: BTreeMap<String, [i64; 3]> = BTreeMap::new();
    let mut order: BTreeMap<String, usize> = BTreeMap::new();
    for r in rows {
        let key = if by_prefecture {
            r.prefecture_code.clone()
        } else {
            r.profession.label(lang).to_string()
        };
        if !by_prefecture {
            let rank = Profession::ALL
                .iter()
                .position(|p| *p == r.profession)
                .unwrap_or(usize::MAX);
            order.insert(key.clone(), rank);
        }
        let g = groups.entry(key).or_default();
        match r.status {
            MembershipStatus::Approved => g[0] += r.members,
            MembershipStatus::Applied => g[1] += r.members,
            _ => g[2] += r.members,
        }
    }
    let mut keyed: Vec<(String, [i64; 3])> = groups.into_iter().collect();
    if !by_prefecture {
        keyed.sort_by_key(|(k, _)| order.get(k).copied().unwrap_or(usize::MAX));
    }
    let head = if by_prefecture {
        lang.pick("都道府県", "Prefecture")
    } else {
        lang.pick("職種", "Profession")
    };
    Table {
        columns: vec![
            titled(head, 6, 16).ranked(3),
            titled(lang.pick("承認済", "approved"), 6, 8),
            titled(lang.pick("申請中", "applied"), 6, 8),
            titled(lang.pick("その他", "other"), 6, 8),
            titled(lang.pick("計", "total"), 6, 8),
        ],
        bars: Some(keyed.iter().map(|(_, g)| g[0]).collect()),
        rows: keyed
            .iter()
            .map(|(key, g)| {
                let name = if by_prefecture {
                    prefecture_name(key)
                } else {
                    key.clone()
                };
                vec![
                    name,
                    g[0].to_string(),
                    g[1].to_string(),
                    g[2].to_string(),
                    (g[0] + g[1] + g[2]).to_string(),
                ]
            })
            .collect(),
    }
}

/// Dispatch by prefecture in a period, the bar the member-days worked.
pub fn dispatch(rows: &[DispatchUtilisation], lang: Lang) -> Table {
    Table {
        columns: vec![
            titled(lang.pick("都道府県", "Prefecture"), 6, 10).ranked(3),
            titled(lang.pick("要請", "reqs"), 4, 6),
            titled(lang.pick("回答率", "answered"), 6, 8),
            titled(lang.pick("必要枠", "seats"), 6, 7),
            titled(lang.pick("承諾", "accepted"), 4, 8),
            titled(lang.pick("充足率", "filled"), 6, 7),
            titled(lang.pick("人日", "days"), 4, 6),
            titled(lang.pick("実働", "hours"), 5, 8),
        ],
        bars: Some(rows.iter().map(|r| r.days_worked).collect()),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    prefecture_name(&r.prefecture_code),
                    r.requests.to_string(),
                    percent(r.answered, r.asked),
                    r.seats_needed.to_string(),
                    r.seats_accepted.to_string(),
                    percent(r.seats_accepted, r.seats_needed),
                    r.days_worked.to_string(),
                    hours(r.minutes_worked),
                ]
            })
            .collect(),
    }
}

/// The measures of a series, each with its sparkline over the steps and its total.
pub fn series_lines(steps: &[UtilisationStep], lang: Lang) -> Vec<(String, String, String)> {
    let measure = |label: &str, f: &dyn Fn(&UtilisationStep) -> i64| {
        let values: Vec<i64> = steps.iter().map(f).collect();
        (
            label.to_string(),
            sparkline(&values),
            values.iter().sum::<i64>().to_string(),
        )
    };
    let asked: i64 = steps.iter().map(|s| s.asked).sum();
    let answered: i64 = steps.iter().map(|s| s.answered).sum();
    let mut rate = measure(lang.pick("回答率", "answer rate"), &|s| {
        if s.asked > 0 {
            s.answered * 100 / s.asked
        } else {
            0
        }
    });
    rate.2 = percent(answered, asked);
    vec![
        measure(lang.pick("登録申請", "registrations"), &|s| {
            s.registrations
        }),
        measure(lang.pick("承認", "approvals"), &|s| s.approvals),
        measure(lang.pick("派遣要請", "requests"), &|s| s.requests_sent),
        rate,
        measure(lang.pick("承諾枠", "seats taken"), &|s| s.seats_accepted),
        measure(lang.pick("派遣人日", "member-days"), &|s| s.days_worked),
    ]
}

/// The steps of a series, a row each.
pub fn series(steps: &[UtilisationStep], lang: Lang) -> Table {
    Table {
        columns: vec![
            titled(lang.pick("期間", "From"), 5, 11).ranked(3),
            titled(lang.pick("登録", "reg"), 4, 6),
            titled(lang.pick("承認", "appr"), 4, 6),
            titled(lang.pick("要請", "reqs"), 4, 6),
            titled(lang.pick("依頼", "asked"), 4, 6),
            titled(lang.pick("回答", "ans"), 4, 6),
            titled(lang.pick("回答まで", "to answer"), 6, 9),
            titled(lang.pick("必要枠", "seats"), 6, 7),
            titled(lang.pick("承諾", "taken"), 4, 6),
            titled(lang.pick("人日", "days"), 4, 6),
        ],
        bars: None,
        rows: steps
            .iter()
            .map(|s| {
                vec![
                    s.starts_on.format("%m/%d").to_string(),
                    s.registrations.to_string(),
                    s.approvals.to_string(),
                    s.requests_sent.to_string(),
                    s.asked.to_string(),
                    s.answered.to_string(),
                    s.median_answer_minutes.map_or("-".to_string(), hours),
                    s.seats_needed.to_string(),
                    s.seats_accepted.to_string(),
                    s.days_worked.to_string(),
                ]
            })
            .collect(),
    }
}

/// Capacity ahead: a row per (prefecture,) profession and way, the sparkline of who is free
/// each day, free today, the fewest free, and available today.
pub fn capacity(c: &CapacityAhead, with_prefecture: bool, lang: Lang) -> Table {
    let days = c.days as usize;
    let mut columns = Vec::new();
    if with_prefecture {
        columns.push(titled(lang.pick("都道府県", "Pref."), 6, 8).ranked(3));
    }
    columns.extend([
        titled(lang.pick("職種", "Profession"), 6, 16).ranked(3),
        titled(lang.pick("方法", "Way"), 4, 16).ranked(2),
        titled(
            &format!("{} {}", lang.pick("空き", "free"), c.from.format("%m/%d~")),
            days.min(14),
            days.max(10),
        )
        .ranked(4),
        titled(lang.pick("本日空き", "free now"), 4, 8),
        titled(lang.pick("最少", "fewest"), 4, 6),
        titled(lang.pick("可能", "avail."), 4, 6),
    ]);
    let rows = c
        .rows
        .iter()
        .map(|r| {
            let mut row = Vec::new();
            if with_prefecture {
                row.push(prefecture_name(&r.prefecture_code));
            }
            row.extend([
                r.profession.label(lang).to_string(),
                r.way.label(lang).to_string(),
                sparkline(&r.free),
                r.free.first().copied().unwrap_or(0).to_string(),
                r.free.iter().copied().min().unwrap_or(0).to_string(),
                r.available.first().copied().unwrap_or(0).to_string(),
            ]);
            row
        })
        .collect();
    Table {
        columns,
        rows,
        bars: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_takes_what_the_figures_leave_and_goes_when_too_little_is() {
        let counts = vec![
            MemberCount {
                prefecture_code: "13".into(),
                profession: Profession::Nurse,
                status: MembershipStatus::Approved,
                members: 30,
            },
            MemberCount {
                prefecture_code: "14".into(),
                profession: Profession::Nurse,
                status: MembershipStatus::Approved,
                members: 15,
            },
        ];
        let t = members(&counts, Lang::Ja);
        assert_eq!(t.rows[0][0], "東京都");
        let (columns, rows) = t.laid_out(80);
        assert_eq!(columns.len(), 6);
        let full = crate::widgets::text::width(&rows[0][1]);
        assert!(full >= BAR_MIN, "{full}");
        assert_eq!(crate::widgets::text::width(&rows[1][1]), full / 2);
        let (columns, _) = t.laid_out(40);
        assert_eq!(columns.len(), 5, "no room for the bar at 40 columns");
    }
}
