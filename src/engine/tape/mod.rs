//! The tape: one mini-batch's computation recorded as nodes, the way PyTorch's autograd records
//! it, so `backward()` itself can be shown and checked.
//!
//! Each node is a leaf (X, y, or a parameter) or an [`Op`] over earlier nodes. Recording a node
//! runs its forward rule at once, as PyTorch does eagerly; [`Tape::forward`] runs them all again
//! in order after a leaf changes. [`Tape::backward`] walks from a root in the order PyTorch's
//! engine does and applies each node's one local rule, summing what arrives at a node from
//! several consumers before passing it on. Leaves that require grad are `AccumulateGrad`:
//! their `.grad` adds up across backward passes until [`Tape::zero_grad`], as `param.grad` does
//! until `param.grad.zero_()`. Every other node keeps the gradient of its last backward pass,
//! as if PyTorch had been asked to `retain_grad()` it.
//!
//! The tape knows no model; [`linear`] records the lesson's. Another model is another function
//! that records its nodes, e.g. a hidden layer:
//!
//! ```
//! use gradstep::engine::tape::{Op, Tape};
//! use nalgebra::DMatrix;
//!
//! let mut t = Tape::new();
//! let x = t.leaf("X", DMatrix::from_row_slice(2, 1, &[1.0, -1.0]), false);
//! let w1 = t.leaf("W1", DMatrix::from_row_slice(1, 2, &[1.0, 2.0]), true);
//! let z = t.push(Op::MatMul, &[x, w1], Some("Z")).unwrap();
//! let h = t.push(Op::Relu, &[z], Some("H")).unwrap();
//! let loss = t.push(Op::Sum, &[h], Some("L")).unwrap();
//! t.backward(loss);
//! // Only the first sample's z = (1, 2) is positive: ∂L/∂W1 = Xᵀ·[[1, 1], [0, 0]].
//! assert_eq!(t[w1].grad, Some(DMatrix::from_row_slice(1, 2, &[1.0, 1.0])));
//! assert_eq!(t[h].label, "torch.relu(Z)");
//! ```

pub mod linear;
pub mod mlp;
pub mod mlp_walk;
pub mod op;
pub mod symbol;
pub mod walk;

pub use linear::{Linear, Recorded, root_value};
pub use op::{Op, Operand};
pub use symbol::{Layout, Symbol};
pub use walk::Walk;

use nalgebra::DMatrix;

/// A node's place on its tape, in the order nodes were recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub usize);

/// One recorded value: a leaf or the result of an op.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// `None` for a leaf.
    pub op: Option<Op>,
    pub inputs: Vec<NodeId>,
    /// The lesson's name for the value (`X`, `w`, `ŷ`, `l`, `L`), if it has one.
    pub symbol: Option<String>,
    /// The op as code over its inputs (`X @ w`), or a leaf's symbol.
    pub label: String,
    pub value: DMatrix<f64>,
    /// ∂root/∂value after a backward pass; `None` before one, and always for a node that does
    /// not require grad.
    pub grad: Option<DMatrix<f64>>,
    /// Gradients flow to this node: a parameter, or an op with such an input.
    pub requires_grad: bool,
    /// What the last backward pass sent to each input (`None` for an input without grad): the
    /// arrows of the walk, so a view can show what each node passed down without recomputing.
    pub sent: Vec<Option<DMatrix<f64>>>,
    /// For a leaf that requires grad: the `.grad` it held before the last backward pass added
    /// to it (zeros after [`Tape::zero_grad`], `None` before its first pass, as in PyTorch).
    pub grad_before: Option<DMatrix<f64>>,
}

impl Node {
    /// PyTorch's class name for the node's `grad_fn` (`MmBackward0`), `AccumulateGrad` for a
    /// leaf that requires grad, and `None` for data (X, y), which PyTorch leaves out of the graph.
    pub fn torch_name(&self) -> Option<&'static str> {
        match self.op {
            Some(op) => Some(op.torch_name()),
            None if self.requires_grad => Some("AccumulateGrad"),
            None => None,
        }
    }

    pub fn is_leaf(&self) -> bool {
        self.op.is_none()
    }

    /// How this node appears inside a later node's label.
    fn operand(&self) -> Operand {
        match (&self.symbol, self.op) {
            (Some(s), _) => Operand {
                text: s.clone(),
                precedence: u8::MAX,
            },
            (None, Some(op)) => Operand {
                text: self.label.clone(),
                precedence: op.precedence(),
            },
            (None, None) => Operand {
                text: self.label.clone(),
                precedence: u8::MAX,
            },
        }
    }
}

/// A recorded op's inputs did not fit it: a bug in the model that recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError(pub String);

impl std::fmt::Display for ShapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ShapeError {}

/// Nodes in the order they were recorded; an op's inputs always come before it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tape {
    nodes: Vec<Node>,
}

impl Tape {
    pub fn new() -> Self {
        Tape::default()
    }

    /// Records a leaf. Parameters (`w`, `b`) require grad; data (`X`, `y`) does not.
    pub fn leaf(&mut self, symbol: &str, value: DMatrix<f64>, requires_grad: bool) -> NodeId {
        self.nodes.push(Node {
            op: None,
            inputs: Vec::new(),
            symbol: Some(symbol.to_string()),
            label: symbol.to_string(),
            value,
            grad: None,
            requires_grad,
            sent: Vec::new(),
            grad_before: None,
        });
        NodeId(self.nodes.len() - 1)
    }

    /// Records `op` over `inputs` and computes its value now.
    pub fn push(
        &mut self,
        op: Op,
        inputs: &[NodeId],
        symbol: Option<&str>,
    ) -> Result<NodeId, ShapeError> {
        if let Some(bad) = inputs.iter().find(|id| id.0 >= self.nodes.len()) {
            return Err(ShapeError(format!("input {} is not on the tape", bad.0)));
        }
        let shapes: Vec<_> = inputs.iter().map(|&i| self[i].value.shape()).collect();
        op.shape(&shapes).map_err(ShapeError)?;
        let values: Vec<_> = inputs.iter().map(|&i| &self[i].value).collect();
        let value = op.forward(&values);
        let operands: Vec<_> = inputs.iter().map(|&i| self[i].operand()).collect();
        self.nodes.push(Node {
            op: Some(op),
            inputs: inputs.to_vec(),
            symbol: symbol.map(str::to_string),
            label: op.label(&operands),
            value,
            grad: None,
            requires_grad: inputs.iter().any(|&i| self[i].requires_grad),
            sent: vec![None; inputs.len()],
            grad_before: None,
        });
        Ok(NodeId(self.nodes.len() - 1))
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Replaces a leaf's value (the next batch's X, or a parameter after an update); run
    /// [`Tape::forward`] to bring the ops up to date. Returns false, changing nothing, for an
    /// op or a value of another shape.
    pub fn set_leaf(&mut self, id: NodeId, value: DMatrix<f64>) -> bool {
        match self.nodes.get_mut(id.0) {
            Some(node) if node.is_leaf() && node.value.shape() == value.shape() => {
                node.value = value;
                true
            }
            _ => false,
        }
    }

    /// Runs every op's forward rule again, in the order recorded.
    pub fn forward(&mut self) {
        for k in 0..self.nodes.len() {
            if let Some(op) = self.nodes[k].op {
                let values: Vec<_> = self.nodes[k]
                    .inputs
                    .iter()
                    .map(|&i| &self.nodes[i.0].value)
                    .collect();
                let value = op.forward(&values);
                self.nodes[k].value = value;
            }
        }
    }

    /// `root.backward()`: seeds ∂root/∂root = 1 and walks the graph in [`Tape::backward_order`],
    /// each node applying its local rule to the gradient that arrived; leaves add theirs into
    /// `.grad`. Returns the order visited.
    pub fn backward(&mut self, root: NodeId) -> Vec<NodeId> {
        let order = self.backward_order(root);
        for node in self.nodes.iter_mut().filter(|n| !n.is_leaf()) {
            node.grad = None;
            node.sent.iter_mut().for_each(|s| *s = None);
        }
        let mut arrived: Vec<Option<DMatrix<f64>>> = vec![None; self.nodes.len()];
        if let Some(r) = self.nodes.get(root.0) {
            arrived[root.0] = Some(DMatrix::from_element(r.value.nrows(), r.value.ncols(), 1.0));
        }
        for &id in &order {
            let Some(grad) = arrived[id.0].take() else {
                continue;
            };
            let node = &self.nodes[id.0];
            let Some(op) = node.op else {
                // AccumulateGrad: the first gradient is stored, later ones are added.
                let node = &mut self.nodes[id.0];
                node.grad_before = node.grad.clone();
                node.grad = Some(match node.grad.take() {
                    Some(g) => g + grad,
                    None => grad,
                });
                continue;
            };
            let inputs: Vec<_> = node
                .inputs
                .iter()
                .map(|&i| &self.nodes[i.0].value)
                .collect();
            let wants: Vec<_> = node
                .inputs
                .iter()
                .map(|&i| self.nodes[i.0].requires_grad)
                .collect();
            let passed = op.backward(&grad, &inputs, &node.value, &wants);
            let targets = node.inputs.clone();
            self.nodes[id.0].grad = Some(grad);
            self.nodes[id.0].sent = passed.clone();
            for (input, g) in targets.into_iter().zip(passed) {
                if let Some(g) = g {
                    arrived[input.0] = Some(match arrived[input.0].take() {
                        Some(sum) => sum + g,
                        None => g,
                    });
                }
            }
        }
        order
    }

    /// The nodes `root.backward()` visits, in PyTorch's order: a node runs once every node
    /// that uses it has run; of those ready, `AccumulateGrad` first (PyTorch gives it the
    /// highest priority), then the one recorded last. Data leaves are not visited.
    pub fn backward_order(&self, root: NodeId) -> Vec<NodeId> {
        let Some(r) = self.nodes.get(root.0) else {
            return Vec::new();
        };
        if !r.requires_grad {
            return Vec::new();
        }
        // How many edges from nodes reachable from the root point at each node.
        let mut reached = vec![false; self.nodes.len()];
        let mut waiting = vec![0usize; self.nodes.len()];
        let mut stack = vec![root];
        reached[root.0] = true;
        while let Some(id) = stack.pop() {
            for &i in &self.nodes[id.0].inputs {
                if self.nodes[i.0].requires_grad {
                    waiting[i.0] += 1;
                    if !reached[i.0] {
                        reached[i.0] = true;
                        stack.push(i);
                    }
                }
            }
        }
        let priority = |id: NodeId| (self.nodes[id.0].is_leaf(), id.0);
        let mut ready = vec![root];
        let mut order = Vec::new();
        while let Some(k) = (0..ready.len()).max_by_key(|&k| priority(ready[k])) {
            let id = ready.swap_remove(k);
            order.push(id);
            for &i in &self.nodes[id.0].inputs {
                if self.nodes[i.0].requires_grad {
                    waiting[i.0] -= 1;
                    if waiting[i.0] == 0 {
                        ready.push(i);
                    }
                }
            }
        }
        order
    }

    /// Sets a leaf's `.grad`, as what it holds before the next backward pass adds to it (zeros
    /// after `zero_()`, or the last batch's gradient when nothing zeroed it). Returns false,
    /// changing nothing, for an op, a leaf without grad, or a value of another shape.
    pub fn set_grad(&mut self, id: NodeId, grad: DMatrix<f64>) -> bool {
        match self.nodes.get_mut(id.0) {
            Some(node)
                if node.is_leaf() && node.requires_grad && node.value.shape() == grad.shape() =>
            {
                node.grad = Some(grad);
                true
            }
            _ => false,
        }
    }

    /// `param.grad.zero_()` for every leaf that has a gradient.
    pub fn zero_grad(&mut self) {
        for node in self.nodes.iter_mut().filter(|n| n.is_leaf()) {
            if let Some(g) = node.grad.as_mut() {
                g.fill(0.0);
            }
        }
    }

    /// `param -= lr * param.grad / divisor` for each parameter, entry by entry in that order
    /// of operations (the fast path's); a parameter with no gradient stays. The ops keep their
    /// values until [`Tape::forward`].
    pub fn sgd(&mut self, params: &[NodeId], lr: f64, divisor: f64) {
        for &p in params {
            if let Some(node) = self.nodes.get_mut(p.0)
                && let Some(g) = &node.grad
            {
                let next = node.value.zip_map(g, |p, g| p - lr * g / divisor);
                node.value = next;
            }
        }
    }
}

impl std::ops::Index<NodeId> for Tape {
    type Output = Node;

    fn index(&self, id: NodeId) -> &Node {
        &self.nodes[id.0]
    }
}
