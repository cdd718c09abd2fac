//! Where the parameters start.

use nalgebra::DVector;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};

use crate::engine::Params;
use crate::engine::schedule::derive_seed;

#[derive(Clone, Debug, PartialEq)]
pub enum Init {
    /// w ~ N(0, 0.01²), b = 0, as in d2l.
    Normal,
    Zeros,
    /// Every weight 10 and b = 10: far from any sensible answer.
    Large,
    /// Fixed values, as a preset's worked example needs.
    Fixed(Params),
}

impl Init {
    pub fn params(&self, d: usize, seed: u64) -> Params {
        match self {
            Init::Normal => {
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(derive_seed(seed, 0x494E_4954));
                let w = DVector::from_iterator(
                    d,
                    (0..d).map(|_| {
                        let z: f64 = StandardNormal.sample(&mut rng);
                        0.01 * z
                    }),
                );
                Params { w, b: 0.0 }
            }
            Init::Zeros => Params::zeros(d),
            Init::Large => Params {
                w: DVector::from_element(d, 10.0),
                b: 10.0,
            },
            Init::Fixed(p) => p.clone(),
        }
    }
}
