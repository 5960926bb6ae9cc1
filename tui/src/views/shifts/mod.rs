//! The shift grid (シフト): the people a request asked × its slots, grouped by day, driven by
//! the keyboard. h/j/k/l (or the arrows) move, H/L jump a day, Space puts the person in the
//! slot or takes them out, `a` auto-fills, `p` re-plans the open seats, `c` confirms (after a
//! summary of who will be asked formally), `/` jumps to a person, `m` moves the slot under
//! the cursor and `X` cancels it (its people are told; see [`forms`]). The name column stays while
//! the days scroll sideways; weekends and public holidays are marked in the day headers, and
//! every cell is a mark, so the grid reads with NO_COLOR (the legend is in `?`).
//!
//! The tab opens on the requests that have a grid (sent, planning, confirmed); Enter (or `g`
//! in the dispatch tab) opens one. Every change goes to the server, which answers with the
//! whole grid again; the grid follows the live-update stream, so a decline shows at once.
//! A member sees its own schedule here instead (see [`crate::views::my_dispatch`]).

mod draw;
pub mod forms;
pub mod layout;

use crate::app::net::{claim, Answer, Pending};
use crate::app::{Action, Ctx, View};
use crate::i18n::T;
use crate::keymap::{Command, Section};
use crate::ui::confirm::Confirm;
use crate::widgets::input::Input;
use crate::widgets::table::ListState;
use crate::widgets::text::clean;
use crossterm::event::{KeyCode, KeyEvent};
use layout::{Cursor, Day};
use ouen_shared::api::{
    AssignmentStatus, ConfirmResult, DispatchSummary, EventKind, Page, PlanChange, PlanChanges,
    ShiftGrid, StreamEvent,
};
use ouen_shared::endpoints::{
    AutoFill, ChangePlan, ConfirmShifts, GetShiftGrid, ListDispatchRequests, Replan,
};
use ouen_shared::Lang;

/// Requests asked for in the chooser.
const PER_PAGE: u32 = 100;

/// News for the shift grid from the other views and its confirmations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShiftsMsg {
    /// Open this request's grid (from the dispatch tab).
    Open { id: i64, title: String },
    /// The operator said yes to sending the formal requests.
    ConfirmYes { id: i64 },
    /// The operator said yes to taking a formally requested person off a slot.
    RemoveYes { change: PlanChange },
    /// A slot was moved or cancelled: the request's grid as the server answered.
    Changed(Box<ShiftGrid>),
}

/// The grid of one request, with what is derived from it once.
pub struct OpenGrid {
    pub id: i64,
    pub title: String,
    pub grid: ShiftGrid,
    /// The day of each slot.
    pub days: Vec<Day>,
}

impl OpenGrid {
    pub fn new(id: i64, title: String, grid: ShiftGrid) -> OpenGrid {
        let days = layout::days_of(&grid.slots);
        OpenGrid {
            id,
            title,
            grid,
            days,
        }
    }

    /// Seats needed, taken and open over every slot.
    pub fn totals(&self) -> (u32, u32, u32) {
        self.grid.slots.iter().fold((0, 0, 0), |(n, a, g), s| {
            (n + s.needed, a + s.assigned, g + s.gap)
        })
    }

    /// Planned seats (what confirming asks formally) and the people holding them.
    pub fn planned(&self) -> (usize, Vec<String>) {
        let mut seats = 0;
        let mut names = Vec::new();
        for p in &self.grid.people {
            let n = p
                .cells
                .iter()
                .filter(|c| c.assignment == Some(AssignmentStatus::Planned))
                .count();
            if n > 0 {
                seats += n;
                names.push(clean(&p.name));
            }
        }
        (seats, names)
    }
}

#[derive(Default)]
pub struct ShiftsView {
    /// Requests that have a grid, to choose from.
    pub requests: Vec<DispatchSummary>,
    list: ListState,
    /// The grid in front, when one is open.
    pub open: Option<OpenGrid>,
    pub cursor: Cursor,
    /// `/` was pressed: keys go to the search line.
    pub searching: bool,
    search: Input,
    /// Where the cursor was when the search began (Esc goes back there).
    search_from: usize,
    /// Rows and slot columns the last draw showed (for paging and scrolling).
    visible: (usize, usize),
    error: Option<String>,
    /// The title of the request being opened (the grid itself has none).
    pending_title: Option<(i64, String)>,
    list_req: Option<Pending<Page<DispatchSummary>>>,
    grid_req: Option<Pending<ShiftGrid>>,
    /// A change, auto-fill or re-plan: answers with the grid.
    change_req: Option<Pending<ShiftGrid>>,
    /// The change on its way is a proposal (auto-fill or re-plan): its answer is summed up.
    proposing: bool,
    confirm_req: Option<Pending<ConfirmResult>>,
}

impl ShiftsView {
    pub fn new() -> ShiftsView {
        ShiftsView {
            visible: (10, 10),
            search: Input::new(false),
            ..ShiftsView::default()
        }
    }

    fn load_list(&mut self, ctx: &Ctx) {
        self.list_req = Some(ctx.net.call(ListDispatchRequests {
            page: 1,
            per_page: PER_PAGE,
            status: Some("sent,planning,confirmed".into()),
            q: None,
        }));
    }

    fn load_grid(&mut self, ctx: &Ctx) {
        if let Some(g) = &self.open {
            self.grid_req = Some(ctx.net.call(GetShiftGrid { id: g.id }));
        }
    }

    /// Opens a request's grid (the last one stays on screen until the new one arrives).
    pub fn open_request(&mut self, id: i64, title: String, ctx: &Ctx) {
        if self.open.as_ref().map(|g| g.id) != Some(id) {
            self.cursor = Cursor::default();
            self.open = None;
        }
        self.error = None;
        self.grid_req = Some(ctx.net.call(GetShiftGrid { id }));
        self.pending_title = Some((id, title));
    }

    /// A new grid from the server: kept with the cursor where it was. Why seats stay open is
    /// only known when a plan is made; a plain read of the same request keeps the reasons of
    /// the seats still open.
    fn took_grid(&mut self, id: i64, mut grid: ShiftGrid) {
        if let Some(old) = self.open.as_ref().filter(|g| g.id == id) {
            for slot in grid
                .slots
                .iter_mut()
                .filter(|s| s.gap > 0 && s.unfilled.is_none())
            {
                slot.unfilled = old
                    .grid
                    .slots
                    .iter()
                    .find(|o| o.id == slot.id)
                    .and_then(|o| o.unfilled);
            }
        }
        let title = match (&self.pending_title, &self.open) {
            (Some((pid, t)), _) if *pid == id => t.clone(),
            (_, Some(g)) if g.id == id => g.title.clone(),
            _ => String::new(),
        };
        // The cursor stays on the same person and slot when they moved (a slot whose time
        // changed, a person added); otherwise it keeps its place.
        let here = self.open.as_ref().filter(|g| g.id == id).and_then(|g| {
            let person = g.grid.people.get(self.cursor.row)?.member_id;
            let slot = g.grid.slots.get(self.cursor.col)?.id;
            Some((person, slot))
        });
        if let Some((person, slot)) = here {
            if let Some(row) = grid.people.iter().position(|p| p.member_id == person) {
                self.cursor.row = row;
            }
            if let Some(col) = grid.slots.iter().position(|s| s.id == slot) {
                self.cursor.col = col;
            }
        }
        let open = OpenGrid::new(id, title, grid);
        self.cursor
            .clamp(open.grid.people.len(), open.grid.slots.len());
        self.open = Some(open);
        self.error = None;
    }

    /// The cell under the cursor: (slot id, member id, its assignment).
    fn cell_here(&self) -> Option<(i64, i64, Option<AssignmentStatus>)> {
        let g = self.open.as_ref()?;
        let person = g.grid.people.get(self.cursor.row)?;
        let slot = g.grid.slots.get(self.cursor.col)?;
        let cell = person.cells.get(self.cursor.col)?;
        Some((slot.id, person.member_id, cell.assignment))
    }

    fn toggle(&mut self, ctx: &Ctx) -> Vec<Action> {
        let lang = ctx.lang;
        let Some((slot_id, member_id, assignment)) = self.cell_here() else {
            return vec![Action::Error(T::NoSelection.get(lang).to_string())];
        };
        let assign = !assignment.is_some_and(AssignmentStatus::holds_seat);
        let change = PlanChange {
            slot_id,
            member_id,
            assign,
        };
        // Taking someone off after the formal request tells them: ask first.
        if matches!(
            assignment,
            Some(AssignmentStatus::Requested | AssignmentStatus::Accepted)
        ) {
            return vec![Confirm::popup(
                T::ShiftsConfirmRemove.get(lang),
                ShiftsMsg::RemoveYes { change },
            )];
        }
        self.send_change(change, ctx);
        Vec::new()
    }

    fn send_change(&mut self, change: PlanChange, ctx: &Ctx) {
        if let Some(g) = &self.open {
            self.change_req = Some(ctx.net.call(ChangePlan {
                id: g.id,
                body: PlanChanges {
                    changes: vec![change],
                },
            }));
        }
    }

    fn confirm_question(&self, lang: Lang) -> Option<Action> {
        let g = self.open.as_ref()?;
        let (seats, names) = g.planned();
        if seats == 0 {
            return Some(Action::Status(
                T::ShiftsNothingPlanned.get(lang).to_string(),
            ));
        }
        let shown: Vec<String> = names.iter().take(6).cloned().collect();
        let more = names.len().saturating_sub(shown.len());
        let mut who = shown.join(lang.pick("、", ", "));
        if more > 0 {
            who.push_str(&format!("{}{more}", lang.pick(" ほか", " and ")));
        }
        let question = match lang {
            Lang::Ja => format!(
                "{} 人に {seats} 枠の正式依頼を送ります（{who}）。よろしいですか？",
                names.len()
            ),
            Lang::En => format!(
                "Send formal requests for {seats} seats to {} people ({who})?",
                names.len()
            ),
        };
        Some(Confirm::popup(question, ShiftsMsg::ConfirmYes { id: g.id }))
    }

    /// The form moving or cancelling the slot under the cursor, while the request is open.
    fn slot_form(&self, cmd: Command, lang: Lang) -> Vec<Action> {
        let Some(g) = &self.open else {
            return Vec::new();
        };
        if !g.grid.status.is_open() {
            return vec![Action::Status(T::DispatchClosed.get(lang).to_string())];
        }
        let Some(slot) = g.grid.slots.get(self.cursor.col) else {
            return vec![Action::Error(T::NoSelection.get(lang).to_string())];
        };
        let when = layout::slot_when(slot.starts_at, slot.ends_at, true, lang);
        let form = if cmd == Command::MoveSlot {
            forms::SlotForm::moving(slot, &when)
        } else {
            forms::SlotForm::cancelling(slot, &when, lang)
        };
        vec![Action::PushPopup(Box::new(form))]
    }

    fn search_key(&mut self, key: KeyEvent) -> Vec<Action> {
        match key.code {
            KeyCode::Enter => self.searching = false,
            KeyCode::Esc => {
                self.searching = false;
                self.cursor.row = self.search_from;
            }
            _ => {
                self.search.key(key);
                let people = self.open.as_ref().map(|g| g.grid.people.as_slice());
                if let Some(i) = people
                    .and_then(|p| layout::find_person(p, &self.search.value(), self.search_from))
                {
                    self.cursor.row = i;
                }
            }
        }
        Vec::new()
    }

    fn grid_key(&mut self, cmd: Command, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        let (rows, cols) = self
            .open
            .as_ref()
            .map_or((0, 0), |g| (g.grid.people.len(), g.grid.slots.len()));
        let half = (self.visible.0 / 2).max(1) as isize;
        match cmd {
            Command::Down => self.cursor.step(1, 0, rows, cols),
            Command::Up => self.cursor.step(-1, 0, rows, cols),
            Command::PageDown => self.cursor.step(half, 0, rows, cols),
            Command::PageUp => self.cursor.step(-half, 0, rows, cols),
            Command::Top => self.cursor.row = 0,
            Command::Bottom => self.cursor.row = rows.saturating_sub(1),
            Command::CellLeft => self.cursor.step(0, -1, rows, cols),
            Command::CellRight => self.cursor.step(0, 1, rows, cols),
            Command::NextDay | Command::PrevDay => {
                if let Some(g) = &self.open {
                    self.cursor.jump_day(&g.days, cmd == Command::NextDay);
                }
            }
            Command::ToggleAssign => return Some(self.toggle(ctx)),
            Command::AutoFill | Command::Replan => {
                if let Some(g) = &self.open {
                    let id = g.id;
                    self.proposing = true;
                    self.change_req = Some(if cmd == Command::AutoFill {
                        ctx.net.call(AutoFill { id })
                    } else {
                        ctx.net.call(Replan { id })
                    });
                }
            }
            Command::ConfirmPlan => return Some(self.confirm_question(lang).into_iter().collect()),
            Command::MoveSlot | Command::CancelSlot => return Some(self.slot_form(cmd, lang)),
            Command::JumpToPerson => {
                self.searching = true;
                self.search.set_value("");
                self.search_from = self.cursor.row;
            }
            Command::Refresh => self.load_grid(ctx),
            Command::Back => {
                self.open = None;
                self.load_list(ctx);
            }
            _ => return None,
        }
        Some(Vec::new())
    }
}

/// Seats taken in a grid (planned, requested or accepted).
fn seats_taken(g: &ShiftGrid) -> i64 {
    g.slots.iter().map(|s| i64::from(s.assigned)).sum()
}

/// What an auto-fill or re-plan proposed, for the status line.
fn proposal_summary(added: i64, gap: u32, lang: Lang) -> String {
    match (lang, added > 0) {
        (Lang::Ja, true) => format!(
            "{added} 席を提案しました（まだ送信していません。不足 {gap} 席）。c で確定します。"
        ),
        (Lang::En, true) => format!(
            "Proposed {added} seats (nothing sent yet; {gap} still open). Press c to confirm."
        ),
        (Lang::Ja, false) => {
            format!("提案できる人がいませんでした（不足 {gap} 席。理由は枠の行に表示）。")
        }
        (Lang::En, false) => {
            format!("Nobody could be proposed ({gap} seats open; the slot line says why).")
        }
    }
}

impl View for ShiftsView {
    fn handle_key(
        &mut self,
        key: KeyEvent,
        cmd: Option<Command>,
        ctx: &Ctx,
    ) -> Option<Vec<Action>> {
        if self.searching {
            return Some(self.search_key(key));
        }
        let cmd = cmd?;
        if self.open.is_some() {
            return self.grid_key(cmd, ctx);
        }
        if self
            .list
            .follow(cmd, self.requests.len(), (self.visible.0 / 2).max(1))
        {
            return Some(Vec::new());
        }
        match cmd {
            Command::Open | Command::OpenGrid => {
                if let Some(r) = self.requests.get(self.list.selected) {
                    let (id, title) = (r.id, r.title.clone());
                    self.open_request(id, title, ctx);
                }
                Some(Vec::new())
            }
            Command::Refresh => {
                self.load_list(ctx);
                Some(Vec::new())
            }
            _ => None,
        }
    }

    fn message(&mut self, msg: &(dyn std::any::Any + Send), ctx: &Ctx) -> Option<Vec<Action>> {
        match msg.downcast_ref::<ShiftsMsg>()? {
            ShiftsMsg::Open { id, title } => self.open_request(*id, title.clone(), ctx),
            ShiftsMsg::ConfirmYes { id } => {
                self.confirm_req = Some(ctx.net.call(ConfirmShifts { id: *id }));
            }
            ShiftsMsg::RemoveYes { change } => self.send_change(*change, ctx),
            ShiftsMsg::Changed(grid) => {
                let id = grid.request_id;
                if self.open.as_ref().is_some_and(|g| g.id == id) {
                    self.took_grid(id, (**grid).clone());
                }
            }
        }
        Some(Vec::new())
    }

    fn answer(&mut self, answer: &mut Answer, ctx: &Ctx) -> Option<Vec<Action>> {
        let lang = ctx.lang;
        if let Some(result) = claim(&mut self.list_req, answer) {
            match result {
                Ok(page) => {
                    self.requests = page.items;
                    self.list.clamp(self.requests.len());
                    self.error = None;
                }
                Err(e) => self.error = e.for_view(lang),
            }
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.grid_req, answer) {
            match result {
                Ok(grid) => {
                    let id = grid.request_id;
                    self.took_grid(id, grid);
                }
                Err(e) => self.error = e.for_view(lang),
            }
            return Some(Vec::new());
        }
        if let Some(result) = claim(&mut self.change_req, answer) {
            let proposing = std::mem::take(&mut self.proposing);
            return Some(match result {
                Ok(grid) => {
                    let id = grid.request_id;
                    let before = self
                        .open
                        .as_ref()
                        .filter(|g| g.id == id)
                        .map(|g| seats_taken(&g.grid));
                    let after = seats_taken(&grid);
                    let gap: u32 = grid.slots.iter().map(|s| s.gap).sum();
                    self.took_grid(id, grid);
                    match (proposing, before) {
                        (true, Some(before)) => {
                            vec![Action::Status(proposal_summary(after - before, gap, lang))]
                        }
                        _ => Vec::new(),
                    }
                }
                Err(e) => vec![Action::Error(e.summary(lang))],
            });
        }
        Some(match claim(&mut self.confirm_req, answer)? {
            Ok(r) => {
                self.load_grid(ctx);
                vec![Action::Status(match lang {
                    Lang::Ja => format!(
                        "{} 人に {} 枠の正式依頼を送りました。",
                        r.members, r.requested
                    ),
                    Lang::En => format!(
                        "Formal requests for {} seats sent to {} people.",
                        r.requested, r.members
                    ),
                })]
            }
            Err(e) => vec![Action::Error(e.summary(lang))],
        })
    }

    fn refresh(&mut self, ctx: &Ctx) {
        if self.open.is_some() {
            self.load_grid(ctx);
        } else {
            self.load_list(ctx);
        }
    }

    fn live_event(&mut self, event: &StreamEvent, ctx: &Ctx) -> Vec<Action> {
        if event.kind != EventKind::Dispatch {
            return Vec::new();
        }
        match &self.open {
            // An answer, a decline or another operator's change: the grid is read again
            // (unless a read is already on its way).
            Some(g) if event.subject_id == Some(g.id) && self.grid_req.is_none() => {
                self.load_grid(ctx)
            }
            Some(_) => {}
            None => self.load_list(ctx),
        }
        Vec::new()
    }

    fn is_loading(&self) -> bool {
        self.list_req.is_some()
            || self.grid_req.is_some()
            || self.change_req.is_some()
            || self.confirm_req.is_some()
    }

    fn insert_mode(&self) -> bool {
        self.searching
    }

    fn paste(&mut self, text: &str) -> Vec<Action> {
        if self.searching {
            self.search.paste(text);
        }
        Vec::new()
    }

    fn selected_value(&self) -> Option<String> {
        let g = self.open.as_ref()?;
        g.grid.people.get(self.cursor.row).map(|p| p.name.clone())
    }

    fn section(&self) -> Option<Section> {
        Some(Section::Shifts)
    }

    fn legend(&self, lang: Lang) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = ouen_shared::api::legend(lang)
            .into_iter()
            .map(|(m, d)| (m.to_string(), d.to_string()))
            .collect();
        out.push(("2/3".into(), T::ShiftsLegendSeats.get(lang).to_string()));
        out.push((
            lang.pick("土 日 祝", "Sa Su *").into(),
            T::ShiftsLegendDays.get(lang).to_string(),
        ));
        out
    }

    fn hints(&self, ctx: &Ctx) -> Option<String> {
        Some(
            if self.searching {
                T::ShiftsHintsSearch
            } else if self.open.is_some() {
                T::ShiftsHintsGrid
            } else {
                T::ShiftsHintsList
            }
            .get(ctx.lang)
            .to_string(),
        )
    }

    fn draw(&mut self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, ctx: &Ctx) {
        self.draw_view(frame, area, ctx);
    }
}
