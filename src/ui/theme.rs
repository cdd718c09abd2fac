//! The one theme: a colour per symbol of the lesson, and the emphasis every highlight also
//! carries so it survives NO_COLOR.

use ratatui::style::{Color, Modifier, Style};

use crate::math::Role;
pub use crate::palette::Palette;

/// Whether colours are used is decided once, at startup, and passed in: the view never reads the
/// environment, so tests are deterministic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    color: bool,
    palette: Palette,
}

/// How a matrix cell takes part in the current step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Plain,
    /// The step reads this value.
    Read,
    /// The step computes this value.
    Written,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        Theme {
            color,
            palette: Palette::Default,
        }
    }

    pub fn with_palette(self, palette: Palette) -> Theme {
        Theme { palette, ..self }
    }

    pub fn palette(self) -> Palette {
        self.palette
    }

    /// `NO_COLOR` set and non-empty turns colours off (<https://no-color.org>).
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme::new(!no_color)
    }

    pub fn has_color(self) -> bool {
        self.color
    }

    /// Only ANSI indexed colours, so 16-colour terminals (and Terminal.app) show them.
    fn role_color(self, role: Role) -> Color {
        match self.palette {
            Palette::Default => Self::default_color(role),
            Palette::HighContrast => Self::high_contrast_color(role),
            Palette::Colorblind => Self::colorblind_color(role),
        }
    }

    // Every symbol has a colour of its own in every palette (a test checks all pairs): a
    // gradient is the lighter or darker shade of its parameter, never the same colour.
    fn high_contrast_color(role: Role) -> Color {
        match role {
            Role::X | Role::XRow => Color::LightCyan,
            Role::W => Color::LightYellow,
            Role::B => Color::LightMagenta,
            Role::YHat => Color::LightGreen,
            Role::Y => Color::LightBlue,
            Role::Delta => Color::LightRed,
            Role::LossSample | Role::Loss => Color::White,
            Role::GradW => Color::Yellow,
            Role::GradB => Color::Magenta,
            Role::Lr => Color::Cyan,
            // Not grey: this palette draws its frames grey.
            Role::N => Color::Green,
        }
    }

    /// Ten colours with neither red nor green for the ten symbols a formula sets side by side;
    /// lr, which meets only w, the gradients and N, takes the one red, and no green is used.
    fn colorblind_color(role: Role) -> Color {
        match role {
            Role::X | Role::XRow => Color::Cyan,
            Role::W => Color::Yellow,
            Role::B => Color::Magenta,
            Role::YHat => Color::LightBlue,
            Role::Y => Color::Blue,
            Role::Delta => Color::LightCyan,
            Role::LossSample | Role::Loss => Color::White,
            Role::GradW => Color::LightYellow,
            Role::GradB => Color::LightMagenta,
            Role::Lr => Color::LightRed,
            Role::N => Color::Gray,
        }
    }

    fn default_color(role: Role) -> Color {
        match role {
            Role::X | Role::XRow => Color::Cyan,
            Role::W => Color::Yellow,
            Role::B => Color::Magenta,
            Role::YHat => Color::Green,
            Role::Y => Color::LightBlue,
            Role::Delta => Color::Red,
            Role::LossSample | Role::Loss => Color::LightRed,
            Role::GradW => Color::LightYellow,
            Role::GradB => Color::LightMagenta,
            Role::Lr => Color::LightGreen,
            Role::N => Color::Gray,
        }
    }

    /// With NO_COLOR no style may carry a colour at all: crossterm 0.29 turns a colour command
    /// into a bare `ESC[m`, which would cancel the bold and reverse of the highlights.
    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    /// A symbol in its colour.
    pub fn role(self, role: Option<Role>) -> Style {
        match role {
            Some(r) => self.fg(self.role_color(r)),
            None => Style::new(),
        }
    }

    /// A matrix cell: read cells are bold and underlined, written ones reversed and bold.
    pub fn cell(self, role: Role, mark: Mark) -> Style {
        let base = self.role(Some(role));
        match mark {
            Mark::Plain => base,
            Mark::Read => base.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Mark::Written => base.add_modifier(Modifier::BOLD | Modifier::REVERSED),
        }
    }

    /// A matrix's name above it.
    pub fn label(self, role: Role, mark: Mark) -> Style {
        let base = self.role(Some(role)).add_modifier(Modifier::BOLD);
        match mark {
            Mark::Written => base.add_modifier(Modifier::REVERSED),
            Mark::Read => base.add_modifier(Modifier::UNDERLINED),
            Mark::Plain => base,
        }
    }

    /// A value the current step has not computed yet.
    pub fn pending(self) -> Style {
        self.quiet().add_modifier(self.dim())
    }

    /// Dark grey vanishes on a projector: the high-contrast palette uses grey and never dims.
    fn quiet(self) -> Style {
        match self.palette {
            Palette::HighContrast => self.fg(Color::Gray),
            _ => self.fg(Color::DarkGray),
        }
    }

    fn dim(self) -> Modifier {
        match self.palette {
            Palette::HighContrast => Modifier::empty(),
            _ => Modifier::DIM,
        }
    }

    /// Brackets, sample numbers, rules: present but quiet.
    pub fn frame(self) -> Style {
        self.quiet()
    }

    /// A formula of the chain that is not the current step's.
    pub fn inactive(self) -> Style {
        self.quiet().add_modifier(self.dim())
    }

    /// The current step's formula: role colours, in bold.
    pub fn current(self, role: Option<Role>) -> Style {
        self.role(role).add_modifier(Modifier::BOLD)
    }

    pub fn title(self) -> Style {
        self.fg(Color::White).add_modifier(Modifier::BOLD)
    }

    pub fn code(self) -> Style {
        self.fg(Color::LightGreen)
    }

    pub fn key(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn warning(self) -> Style {
        self.fg(Color::LightRed)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }

    /// The name of a mode that changes what keys or cells mean.
    pub fn badge(self) -> Style {
        self.key().add_modifier(Modifier::REVERSED)
    }

    pub fn plain(self) -> Style {
        Style::new()
    }
}
