//! The current step's worked equations as the screen shows them: built from the engine's batch
//! once per message (not per frame), the quiz's hidden numbers as `?`, and typeset once.

use crate::worked::screen::Typeset;
use crate::worked::{Equation, SCREEN};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shown {
    equations: Vec<Equation>,
    typeset: Vec<Typeset>,
}

impl Shown {
    pub fn new(equations: Vec<Equation>) -> Shown {
        let typeset = equations.iter().map(|e| Typeset::new(e, SCREEN)).collect();
        Shown { equations, typeset }
    }

    pub fn equations(&self) -> &[Equation] {
        &self.equations
    }

    pub fn typeset(&self) -> &[Typeset] {
        &self.typeset
    }

    /// Whether the quiz hides any number of the step.
    pub fn hides_any(&self) -> bool {
        self.equations.iter().any(Equation::hides_any)
    }

    /// Whether an equation is printed with `≈` (the legend then says what it means).
    pub fn approx(&self) -> bool {
        self.equations.iter().any(|e| e.approx)
    }
}
