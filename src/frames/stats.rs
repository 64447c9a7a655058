//! The association and keyness measures the reports use, each with its published formula.

/// How strongly the two words of a bigram "a b" attract each other, from its 2x2 contingency table
/// over the corpus's N bigrams (Evert 2005, "The Statistics of Word Cooccurrences"):
///
/// |          | second b | second not b |
/// |----------|----------|--------------|
/// | first a  | O11 = f(a b) | O12 = R1 − O11 |
/// | first not a | O21 = C1 − O11 | O22 = N − R1 − C1 + O11 |
///
/// R1 the bigrams starting with a, C1 those ending with b, and each expected count
/// E_ij = R_i C_j / N.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Association {
    /// Pointwise mutual information, log2(O11 / E11) (Church and Hanks 1990).
    pub pmi: f64,
    /// Log-likelihood G² = 2 Σ O_ij ln(O_ij / E_ij), a cell with O_ij = 0 adding 0 (Dunning 1993);
    /// negative when the words repel each other (O11 < E11), so sorting by it puts attraction first.
    pub log_likelihood: f64,
    /// t-score, (O11 − E11) / √O11 (Church et al. 1991).
    pub t_score: f64,
    /// log-Dice, 14 + log2(2 O11 / (R1 + C1)) (Rychlý 2008).
    pub log_dice: f64,
}

impl Association {
    /// The measures of a bigram seen `o11` times, `r1` bigrams starting with its first word, `c1`
    /// ending with its second, `n` bigrams in all (`0 < o11 <= r1, c1 <= n`).
    pub fn of(o11: u64, r1: u64, c1: u64, n: u64) -> Association {
        let (o11, r1, c1, n) = (o11 as f64, r1 as f64, c1 as f64, n as f64);
        let (r2, c2) = (n - r1, n - c1);
        let observed = [o11, r1 - o11, c1 - o11, n - r1 - c1 + o11];
        let expected = [r1 * c1 / n, r1 * c2 / n, r2 * c1 / n, r2 * c2 / n];
        let g2 = 2.0 * observed.iter().zip(&expected).map(|(&o, &e)| plogp(o, e)).sum::<f64>();
        Association {
            pmi: (o11 / expected[0]).log2(),
            log_likelihood: if o11 < expected[0] { -g2 } else { g2 },
            t_score: (o11 - expected[0]) / o11.sqrt(),
            log_dice: 14.0 + (2.0 * o11 / (r1 + c1)).log2(),
        }
    }
}

/// o ln(o / e), 0 when o is 0.
fn plogp(o: f64, e: f64) -> f64 {
    if o > 0.0 {
        o * (o / e).ln()
    } else {
        0.0
    }
}

/// Keyness log-likelihood of an item seen `a` times in a target corpus of `c` words and `b` times in
/// a reference of `d` words (Rayson and Garside 2000): with E1 = c (a + b) / (c + d) and
/// E2 = d (a + b) / (c + d), G² = 2 (a ln(a / E1) + b ln(b / E2)). Signed as the tools show it:
/// negative when the item is relatively rarer in the target than in the reference.
pub fn g2(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let (a, b, c, d) = (a as f64, b as f64, c as f64, d as f64);
    let e1 = c * (a + b) / (c + d);
    let e2 = d * (a + b) / (c + d);
    let g2 = 2.0 * (plogp(a, e1) + plogp(b, e2));
    if a / c < b / d {
        -g2
    } else {
        g2
    }
}

/// Log ratio, the binary log of the ratio of relative frequencies, log2((a / c) / (b / d)), with a
/// zero frequency taken as 0.5 so the ratio stays finite (Hardie 2014).
pub fn log_ratio(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let at_least_half = |n: u64| if n == 0 { 0.5 } else { n as f64 };
    ((at_least_half(a) / c as f64) / (at_least_half(b) / d as f64)).log2()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(x: f64, y: f64) -> bool {
        (x - y).abs() < 1e-9
    }

    #[test]
    fn association_measures_as_published() {
        // N = 100 bigrams; "a b" 10 times; 20 start with a, 25 end with b.
        // E11 = 20·25/100 = 5. PMI = log2(10/5) = 1. t = (10 − 5)/√10 = 1.5811388….
        // log-Dice = 14 + log2(20/45) = 14 − 1.169925… = 12.830075….
        // Cells: O = 10, 10, 15, 65; E = 5, 15, 20, 60.
        // G² = 2(10 ln 2 + 10 ln(2/3) + 15 ln(3/4) + 65 ln(13/12))
        //    = 2(6.931472 − 4.054651 − 4.315231 + 5.202776) = 2·3.764366 = 7.528731….
        let a = Association::of(10, 20, 25, 100);
        assert!(close(a.pmi, 1.0), "{a:?}");
        assert!(close(a.t_score, 5.0 / 10f64.sqrt()), "{a:?}");
        assert!(close(a.log_dice, 14.0 + (20.0f64 / 45.0).log2()), "{a:?}");
        let by_hand = 2.0
            * (10.0 * 2f64.ln() + 10.0 * (2.0f64 / 3.0).ln() + 15.0 * (0.75f64).ln() + 65.0 * (13.0f64 / 12.0).ln());
        assert!(close(a.log_likelihood, by_hand), "{a:?}");
        assert!((a.log_likelihood - 7.528731).abs() < 1e-5, "{a:?}");
        // A bigram that is all its words' bigrams: O12 = O21 = 0 add nothing.
        let all = Association::of(5, 5, 5, 10);
        assert!(close(all.log_likelihood, 2.0 * (5.0 * 2f64.ln() + 5.0 * 2f64.ln())), "{all:?}");
        // Fewer than expected ("the the"): E11 = 50·50/100 = 25 > 5, so G² is negative, as is PMI.
        let repelled = Association::of(5, 50, 50, 100);
        assert!(repelled.log_likelihood < 0.0 && repelled.pmi < 0.0, "{repelled:?}");
    }

    #[test]
    fn keyness_as_published() {
        // 30 in 1,000 words against 10 in 2,000: E1 = 1000·40/3000 = 13.333…, E2 = 26.666….
        // G² = 2(30 ln(30/13.333) + 10 ln(10/26.667)) = 2(24.327906 − 9.808293) = 29.039228….
        assert!((g2(30, 10, 1000, 2000) - 29.039228).abs() < 1e-5);
        assert!((g2(10, 30, 2000, 1000) + 29.039228).abs() < 1e-5, "rarer in the target: negative");
        // Log ratio: (30/1000)/(10/2000) = 6, log2 6 = 2.584963…; a zero counts as 0.5.
        assert!(close(log_ratio(30, 10, 1000, 2000), 6f64.log2()));
        assert!(close(log_ratio(4, 0, 1000, 1000), 3.0));
        assert!(close(g2(0, 0, 10, 10), 0.0));
    }
}
