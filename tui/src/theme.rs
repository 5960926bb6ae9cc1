//! Colours. The default theme uses only the 16 indexed ANSI colours, which every terminal
//! maps to something readable on its own background (dark or light); `NO_COLOR` or
//! `theme = "mono"` leaves only bold, underline and reverse video.

use ratatui::style::{Color, Modifier, Style};

/// The styles every view draws with.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
    pub title: Style,
    pub tab_active: Style,
    pub tab: Style,
    pub header: Style,
    pub selected: Style,
    pub dim: Style,
    pub error: Style,
    pub ok: Style,
    pub warn_banner: Style,
    pub focus: Style,
    pub key: Style,
}

impl Theme {
    /// The theme for a name from the configuration, honouring `NO_COLOR`.
    pub fn from_config(name: &str, no_color: bool) -> Theme {
        if no_color || name == "mono" {
            Theme::mono()
        } else {
            Theme::default_colors()
        }
    }

    fn default_colors() -> Theme {
        Theme {
            color: true,
            title: Style::new().add_modifier(Modifier::BOLD),
            tab_active: Style::new()
                .fg(Color::Indexed(15))
                .bg(Color::Indexed(4))
                .add_modifier(Modifier::BOLD),
            tab: Style::new(),
            header: Style::new()
                .fg(Color::Indexed(6))
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            dim: Style::new().fg(Color::Indexed(8)),
            error: Style::new()
                .fg(Color::Indexed(1))
                .add_modifier(Modifier::BOLD),
            ok: Style::new().fg(Color::Indexed(2)),
            warn_banner: Style::new()
                .fg(Color::Indexed(0))
                .bg(Color::Indexed(3))
                .add_modifier(Modifier::BOLD),
            focus: Style::new()
                .fg(Color::Indexed(4))
                .add_modifier(Modifier::BOLD),
            key: Style::new()
                .fg(Color::Indexed(5))
                .add_modifier(Modifier::BOLD),
        }
    }

    fn mono() -> Theme {
        Theme {
            color: false,
            title: Style::new().add_modifier(Modifier::BOLD),
            tab_active: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            tab: Style::new(),
            header: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            dim: Style::new(),
            error: Style::new().add_modifier(Modifier::BOLD),
            ok: Style::new(),
            warn_banner: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            focus: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            key: Style::new().add_modifier(Modifier::BOLD),
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::default_colors()
    }
}

/// Whether `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}
