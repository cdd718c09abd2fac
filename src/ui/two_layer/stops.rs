//! The lesson plan's stops in the two-layer explainer: Tab and Shift-Tab go to the next and
//! previous stop as in the linear explainer (`run::stops` places them alike), the stop's note is
//! shown however it is reached, and going there by Tab or Shift-Tab applies its changes. A stop
//! that sets `hidden` or `activation` recomputes the whole run with that network, which holds
//! from that stop on: going back to an earlier stop gives the earlier network again.

use super::{Screen, TwoLayerApp, words};
use crate::engine::{Starts, TwoLayer};
use crate::lesson::{Stop, StopView};
use crate::run::goto::Stepped;
use crate::run::stops::{self, Stops};
use crate::ui::app::Message;
use crate::ui::keys::Offer;
use crate::ui::strings::S;

/// The lesson plan as the two-layer explainer follows it.
#[derive(Clone, Debug)]
pub(super) struct Plan {
    pub(super) stops: Vec<Stop>,
    pub(super) at: Stops,
    /// The network and objective the run started with, before any stop changed them.
    first: (TwoLayer, crate::engine::Objective),
    /// Where a network of another size starts.
    starts: Starts,
}

impl Plan {
    pub(super) fn new(session: &crate::engine::mlp_session::MlpSession) -> Plan {
        let model = session.model().clone();
        Plan {
            stops: Vec::new(),
            at: Stops::default(),
            starts: Starts {
                own: Some(model.init.clone()),
                init: None,
                d: session.data().d(),
                seed: session.hyper().seed,
            },
            first: (model, session.objective()),
        }
    }
}

impl TwoLayerApp {
    /// The lesson plan's stops for this run, and where a hidden layer of another size starts.
    pub fn set_stops(&mut self, stops: Vec<Stop>, starts: Starts) {
        self.plan.stops = stops;
        self.plan.starts = starts;
        self.plan.at.sync(&self.plan.stops, &self.session);
    }

    /// The lesson plan as set, for another explainer of the same class (a student's).
    pub fn lesson_plan(&self) -> (Vec<Stop>, Starts) {
        (self.plan.stops.clone(), self.plan.starts.clone())
    }

    /// The stop the class is at (0-based), how many there are, and its note in the shown
    /// language.
    pub fn stop_here(&self) -> Option<(usize, usize, &str)> {
        let k = self.plan.at.here?;
        let stop = self.plan.stops.get(k)?;
        Some((k, self.plan.stops.len(), stop.note.get(self.lang)))
    }

    /// The stop's line above the narrative: "stop k/n: note".
    pub(super) fn stop_line(&self) -> Option<String> {
        let (k, n, note) = self.stop_here()?;
        let head = S::StopOf
            .get(self.lang)
            .replace("{k}", &(k + 1).to_string())
            .replace("{n}", &n.to_string());
        Some(format!("{head}: {note}"))
    }

    /// What the key hints offer: Tab only where the lesson plans stops for this run.
    pub(super) fn offer(&self) -> Offer {
        Offer {
            stops: !self.plan.stops.is_empty(),
            more_text: true,
        }
    }

    /// The batch Tab or Shift-Tab would go to.
    pub(super) fn stop_destination(&self, forward: bool) -> Option<usize> {
        self.plan
            .at
            .neighbour(&self.plan.stops, &self.session, forward)
            .map(|(_, p)| p.global)
    }

    /// Tab or Shift-Tab: to the neighbouring stop, or a notice that there is none.
    pub(super) fn go_to_stop(&mut self, message: Message) {
        let forward = message == Message::NextStop;
        match self
            .plan
            .at
            .neighbour(&self.plan.stops, &self.session, forward)
        {
            Some((_, place)) => self.jump(place),
            None => {
                let text = if self.plan.stops.is_empty() {
                    S::NoStops
                } else if forward {
                    S::NoNextStop
                } else {
                    S::NoPrevStop
                };
                self.notice = Some(text.get(self.lang).to_string());
            }
        }
    }

    /// Notes which stop the place is (however it was reached); a stop reached by Tab or
    /// Shift-Tab (`to_stop`) applies its changes. Returns the stop just reached, if any.
    pub(super) fn sync_stop(&mut self, to_stop: bool) -> Option<usize> {
        let reached = self.plan.at.sync(&self.plan.stops, &self.session);
        if let Some(k) = reached
            && to_stop
        {
            self.apply_stop(k);
        }
        reached
    }

    /// A stop's changes: the run's (network, objective, lr, batch size), then the view and
    /// the quiz.
    fn apply_stop(&mut self, k: usize) {
        let Some(stop) = self.plan.stops.get(k).cloned() else {
            return;
        };
        let network = stops::network_at(&self.plan.stops, k, &self.plan.first.0, &self.plan.starts);
        if stops::change_two_layer(&mut self.session, network, &stop).is_err() {
            self.notice = Some(words::words().word("stop_too_long", self.lang, &[]));
        }
        match stop.view {
            Some(StopView::Pictures) => {
                self.screen = Screen::Pictures;
                self.graph = None;
            }
            Some(StopView::Compare) => {
                self.screen = Screen::Compare;
                self.graph = None;
            }
            Some(StopView::Lesson) => {
                self.screen = Screen::Steps;
                self.graph = None;
            }
            None => {}
        }
        if let Some(quiz) = stop.quiz {
            self.quiz.on = quiz;
        }
    }

    /// `r`: the network and objective the run started with, before any stop changed them.
    pub(super) fn first_network(&mut self) {
        let (model, objective) = self.plan.first.clone();
        if *self.session.model() != model || self.session.objective() != objective {
            // The run started with them; its schedule is checked again by `restart`.
            if let Ok(fresh) = self.session.remodel(model, objective) {
                self.session = fresh;
            }
        }
    }

    /// Reopens the saved place's network: the one of the last stop reached, with the saved
    /// objective.
    pub(super) fn restore_stop(&mut self, last: Option<usize>, objective: &str) {
        self.plan.at.last = last;
        let network = match last {
            Some(k) => {
                stops::network_at(&self.plan.stops, k, &self.plan.first.0, &self.plan.starts)
            }
            None => self.plan.first.0.clone(),
        };
        let objective =
            crate::run::live::objective_named(objective).unwrap_or(self.session.objective());
        if *self.session.model() != network || self.session.objective() != objective {
            let here = self.session.place();
            // The saved run was this one with the stop's network; a failure keeps its own.
            if let Ok(mut fresh) = self.session.remodel(network, objective) {
                fresh.go(here);
                self.session = fresh;
            }
        }
    }
}
