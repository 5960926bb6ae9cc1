//! A table whose columns are measured in display columns, so full-width text lines up.

use super::text::{fit, width};
use crate::keymap::Command;
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// One column: its title, the width it may take, and how long it keeps it when the table
/// is too wide.
#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    pub min: usize,
    pub max: usize,
    /// Columns with a lower rank give up width first (names rank high).
    pub rank: u8,
}

impl Column {
    pub fn new(title: impl Into<String>, min: usize, max: usize) -> Column {
        Column {
            title: title.into(),
            min,
            max,
            rank: 0,
        }
    }

    /// Keeps its width longer than columns of a lower rank.
    pub fn ranked(mut self, rank: u8) -> Column {
        self.rank = rank;
        self
    }
}

/// The cursor and scroll position of a list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListState {
    pub selected: usize,
    pub offset: usize,
}

impl ListState {
    /// Keeps the selection inside `len` rows.
    pub fn clamp(&mut self, len: usize) {
        if len == 0 {
            self.selected = 0;
            self.offset = 0;
        } else if self.selected >= len {
            self.selected = len - 1;
        }
    }

    /// Moves by `delta` rows within `len`.
    pub fn step(&mut self, delta: isize, len: usize) {
        if len == 0 {
            return;
        }
        let cur = self.selected as isize + delta;
        self.selected = cur.clamp(0, len as isize - 1) as usize;
    }

    /// Follows a list motion key (down, up, half a page of `half_page` rows, top, bottom)
    /// within `len` rows; `false` for any other command.
    pub fn follow(&mut self, cmd: Command, len: usize, half_page: usize) -> bool {
        let half = half_page.max(1) as isize;
        match cmd {
            Command::Down => self.step(1, len),
            Command::Up => self.step(-1, len),
            Command::PageDown => self.step(half, len),
            Command::PageUp => self.step(-half, len),
            Command::Top => self.selected = 0,
            Command::Bottom => self.selected = len.saturating_sub(1),
            _ => return false,
        }
        true
    }

    fn scroll_into_view(&mut self, visible: usize) {
        if visible == 0 {
            return;
        }
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + visible {
            self.offset = self.selected + 1 - visible;
        }
    }
}

/// The gap between columns.
pub const GAP: usize = 2;

/// Column widths for the available width: natural widths within each column's bounds, then
/// shrunk one column at a time until everything fits: among the columns above their minimum,
/// the lowest rank first, the widest of those first.
pub fn widths(columns: &[Column], rows: &[Vec<String>], total: usize) -> Vec<usize> {
    let mut w: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let natural = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|s| width(s))
                .chain(std::iter::once(width(&c.title)))
                .max()
                .unwrap_or(0);
            natural.clamp(c.min, c.max.max(c.min))
        })
        .collect();
    let gaps = GAP * columns.len().saturating_sub(1);
    let avail = total.saturating_sub(gaps);
    while w.iter().sum::<usize>() > avail {
        let above_min = w
            .iter()
            .enumerate()
            .filter(|(i, v)| **v > columns[*i].min)
            .max_by_key(|(i, v)| (std::cmp::Reverse(columns[*i].rank), **v));
        let Some((i, _)) = above_min.or_else(|| w.iter().enumerate().max_by_key(|(_, v)| **v))
        else {
            break;
        };
        if w[i] <= 1 {
            break;
        }
        w[i] -= 1;
    }
    w
}

/// Draws the header and the visible rows; the selected row is highlighted when `focused`.
pub fn render(
    buf: &mut Buffer,
    area: Rect,
    columns: &[Column],
    rows: &[Vec<String>],
    state: &mut ListState,
    focused: bool,
    theme: &Theme,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let w = widths(columns, rows, area.width as usize);
    let line_of = |cells: Vec<String>| -> String {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                s.push_str(&" ".repeat(GAP));
            }
            s.push_str(&fit(cell, w.get(i).copied().unwrap_or(0)));
        }
        s
    };
    // Columns without titles draw no header row.
    let header_rows = u16::from(columns.iter().any(|c| !c.title.is_empty()));
    if header_rows > 0 {
        let header = line_of(columns.iter().map(|c| c.title.clone()).collect());
        buf.set_line(
            area.x,
            area.y,
            &Line::from(Span::styled(header, theme.header)),
            area.width,
        );
    }
    let visible = area.height.saturating_sub(header_rows) as usize;
    state.clamp(rows.len());
    state.scroll_into_view(visible);
    for (n, row) in rows.iter().enumerate().skip(state.offset).take(visible) {
        let y = area.y + header_rows + (n - state.offset) as u16;
        let text = fit(&line_of(row.clone()), area.width as usize);
        let style = if n == state.selected && focused {
            theme.selected
        } else {
            Style::new()
        };
        buf.set_line(
            area.x,
            y,
            &Line::from(Span::styled(text, style)),
            area.width,
        );
    }
}
