//! Merged counts in, the same counts with each actor as the whole corpus names it out: the names
//! and kinds of [`crate::actors::resolve`], applied to the actor tables.
//!
//! Resolution is decided from the actors of the merged counts, so it is the same for a run, its
//! shards merged and any number of threads. Two names of one document may resolve to one actor,
//! so its figures (documents, pairs, the timeline) are not sums of theirs: the actor tables are
//! counted again from the mention rows, each renamed ([`Counts::count_resolved`]).

use std::sync::Arc;

use crate::actors::resolve::{resolve, Counted};
use crate::actors::Origin;
use crate::corpus::Date;
use crate::hashing::FastMap;

use super::{ActorKey, Counts, MentionRow, ResolvedFigures};

/// Each actor counted -> the actor reports name, and where the counted one came from.
#[derive(Debug)]
pub struct Resolution {
    to: FastMap<ActorKey, (ActorKey, Origin)>,
    /// The figures across documents to count.
    figures: ResolvedFigures,
}

impl Resolution {
    /// The actor `key` resolves to, if it was counted.
    pub fn get(&self, key: &ActorKey) -> Option<&ActorKey> {
        self.to.get(key).map(|(to, _)| to)
    }
}

impl Counts {
    /// Resolves the actors counted across the corpus and clears the actor tables (actors, their
    /// timeline, groups and pairs), to be counted again by [`Counts::count_resolved`] from every mention
    /// row, the timeline and pairs as `figures` asks.
    /// The `in_context` most mentioned actors once resolved (as the actors report orders them) will
    /// keep their first mentions in context.
    pub fn resolve_actors(&mut self, in_context: usize, figures: ResolvedFigures) -> Resolution {
        let to = self.resolved_keys();
        // An actor's mentions once resolved are the sum of its names': known before they are
        // counted again.
        let mut mentions: FastMap<&ActorKey, u64> = FastMap::default();
        for (key, stat) in &self.actors {
            let resolved = to.get(key).map_or(key, |(to, _)| to);
            *mentions.entry(resolved).or_default() += stat.mentions;
        }
        let mut ranked: Vec<(&ActorKey, u64)> = mentions.into_iter().collect();
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        self.contexts = ranked.iter().take(in_context).map(|(key, _)| ((*key).clone(), Vec::new())).collect();
        self.context_places = FastMap::default();
        self.actors.clear();
        self.timeline.clear();
        self.group_actors.clear();
        self.pairs.clear();
        self.actor_ids.clear();
        self.actor_keys.clear();
        Resolution { to, figures }
    }

    /// Each actor counted -> the actor it resolves to, and its origin.
    fn resolved_keys(&self) -> FastMap<ActorKey, (ActorKey, Origin)> {
        let mut keys: Vec<(&ActorKey, Counted<'_>)> = self
            .actors
            .iter()
            .map(|(key, stat)| {
                let dictionary = stat.origin == Some(Origin::Dictionary);
                (key, Counted { name: &key.name, kind: key.kind, mentions: stat.mentions, dictionary })
            })
            .collect();
        keys.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let is_common = self.common_words();
        let counted: Vec<Counted<'_>> = keys.iter().map(|(_, c)| *c).collect();
        let resolved = resolve(&counted, |word| is_common(word));
        let mut to = FastMap::default();
        for ((key, _), r) in keys.iter().zip(resolved) {
            let name = match *r.name == *key.name {
                true => Arc::clone(&key.name),
                false => r.name,
            };
            let origin = self.actors[*key].origin.unwrap_or(Origin::Inferred);
            to.insert((*key).clone(), (ActorKey { name, kind: r.kind }, origin));
        }
        to
    }

    /// Whether the corpus writes a capitalised word as an ordinary word too (a title or role, not a
    /// given name): its term (in any case) is counted at least twice besides its uses in actors'
    /// names, and those uses are at least a quarter of them ("Investor", "Senators", "House", not
    /// "Gloria" or "Wayne").
    fn common_words(&self) -> impl Fn(&str) -> bool + '_ {
        let mut in_names: FastMap<&str, u64> = FastMap::default();
        for stat in self.actors.values() {
            for (alias, n) in &stat.aliases {
                for word in alias.split(' ') {
                    *in_names.entry(word).or_default() += n;
                }
            }
        }
        move |word: &str| {
            let mut buf = String::new();
            let term = crate::tokenize::term_of(word, &mut buf);
            let named = in_names.get(word).copied().unwrap_or(0);
            let besides = self.term(term).map_or(0, |t| t.count).saturating_sub(named);
            besides >= 2 && 4 * besides >= named && !crate::actors::is_given_name(word)
        }
    }

    /// Counts the actors of one document, of `date` and `group`, from its mention `rows`, which are
    /// renamed as `resolution` says; keeps the rows in context of the actors [`Counts::resolve_actors`]
    /// chose, up to [`super::CONTEXT_LINES`] each (called in reading order: their first).
    pub fn count_resolved(
        &mut self,
        resolution: &Resolution,
        date: Option<Date>,
        group: Option<&Arc<str>>,
        rows: &mut [MentionRow],
    ) {
        for row in rows.iter_mut() {
            let m = &mut row.mention;
            let key = ActorKey { name: Arc::clone(&m.actor), kind: m.kind };
            if let Some((to, origin)) = resolution.to.get(&key) {
                (m.actor, m.kind, m.origin) = (Arc::clone(&to.name), to.kind, *origin);
            }
        }
        let tables = super::ActorTables::Resolved(resolution.figures);
        let _ = self.count_actors(tables, date, group, rows, |r| (&r.mention, &*r.text), None);
        if self.contexts.is_empty() {
            return;
        }
        for row in rows.iter().filter(|r| r.context.is_some()) {
            let key = ActorKey { name: Arc::clone(&row.mention.actor), kind: row.mention.kind };
            if let Some(lines) = self.contexts.get_mut(&key).filter(|lines| lines.len() < super::CONTEXT_LINES) {
                lines.push(row.clone());
            }
        }
    }
}
