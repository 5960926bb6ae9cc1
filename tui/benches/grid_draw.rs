//! Drawing the shift grid after a key press: a month of 300 people × 31 days × 3 slots, the
//! cursor moved by one key (right, down, a day on), then the whole view drawn on ratatui's
//! test backend at 80×24 and at 200×60. Target: ≤ 16 ms per key press.
//!
//! ```sh
//! cargo bench -p ouen --bench grid_draw
//! ```
//!
//! `OUEN_BENCH_RUNS` changes the number of key presses timed per size.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use ouen::app::net::Net;
use ouen::app::{Ctx, View};
use ouen::keymap::{Command, Keymap};
use ouen::theme::Theme;
use ouen::views::shifts::{OpenGrid, ShiftsView};
use ouen_shared::api::*;
use ouen_shared::dispatch::DispatchStatus;
use ouen_shared::time::jst;
use ouen_shared::{Lang, Profession};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::time::Instant;

fn month(people: usize) -> ShiftGrid {
    let first = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let mut slots = Vec::new();
    for d in 0..31 {
        for h in [7, 15, 23] {
            let starts_at = jst()
                .from_local_datetime(&(first + Duration::days(d)).and_hms_opt(h, 0, 0).unwrap())
                .single()
                .unwrap()
                .with_timezone(&Utc);
            slots.push(GridSlot {
                id: slots.len() as i64 + 1,
                starts_at,
                ends_at: starts_at + Duration::hours(8),
                needed: 3,
                professions: vec![Profession::Nurse, Profession::PublicHealthNurse],
                assigned: 2,
                accepted: 1,
                gap: 1,
                unfilled: None,
            });
        }
    }
    let people = (0..people)
        .map(|i| GridPerson {
            member_id: i as i64 + 1,
            name: format!("長谷川 誠{i}"),
            name_kana: format!("はせがわ せい{i}"),
            professions: vec![Profession::Nurse],
            cells: (0..slots.len())
                .map(|j| GridCell {
                    reply: if (i + j) % 5 < 3 {
                        SlotReply::Available
                    } else {
                        SlotReply::Unavailable
                    },
                    assignment: ((i + j) % 7 == 0).then_some(AssignmentStatus::Planned),
                    busy: (i * j) % 11 == 0,
                    conflicts: Vec::new(),
                })
                .collect(),
            load_minutes: 960,
        })
        .collect();
    ShiftGrid {
        request_id: 1,
        status: DispatchStatus::Planning,
        slots,
        people,
        min_rest_hours: 8,
    }
}

fn main() {
    let runs: usize = std::env::var("OUEN_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600);
    let grid = month(300);
    let net = Net::recording();
    let theme = Theme::from_config("default", false);
    let keymap = Keymap::default();
    println!(
        "grid: {} people × {} slots",
        grid.people.len(),
        grid.slots.len()
    );
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let ctx = Ctx {
            lang: Lang::Ja,
            theme: &theme,
            net: &net,
            keymap: &keymap,
            me: None,
            tick: 0,
            compact: w < 100,
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
        };
        let mut view = ShiftsView::new();
        view.open = Some(OpenGrid::new(1, "ベンチマーク".into(), grid.clone()));
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        let keys = [
            (KeyCode::Char('l'), Command::CellRight),
            (KeyCode::Char('j'), Command::Down),
            (KeyCode::Char('L'), Command::NextDay),
            (KeyCode::Char('j'), Command::Down),
        ];
        let mut times = Vec::with_capacity(runs);
        for n in 0..runs {
            let (code, cmd) = keys[n % keys.len()];
            // Back to the start now and then, so the cursor keeps moving over the month.
            if n % 120 == 0 {
                view.cursor = Default::default();
            }
            let started = Instant::now();
            let _ = view.handle_key(KeyEvent::from(code), Some(cmd), &ctx);
            terminal
                .draw(|f| {
                    let area = f.area();
                    view.draw(f, area, &ctx);
                })
                .expect("draw");
            times.push(started.elapsed());
        }
        times.sort();
        let ms = |p: f64| {
            let i = ((times.len() as f64 - 1.0) * p).round() as usize;
            times[i].as_secs_f64() * 1000.0
        };
        println!(
            "{w}×{h}: key press + draw, median {:.2} ms, p99 {:.2} ms, max {:.2} ms ({runs} presses)",
            ms(0.5),
            ms(0.99),
            ms(1.0)
        );
    }
}
