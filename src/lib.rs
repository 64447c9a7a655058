//! tally: corpus analytics for news. A corpus of dated documents goes in; terms, actors (people,
//! organizations, places), their mentions, documents and actor timelines come out as CSV and Parquet
//! reports. The stages, one module each, run in the order [`pipeline`] gives:
//! [`corpus`] -> [`tokenize`] -> [`actors`] -> [`count`] -> [`frames`] -> [`report`]. Modules import
//! one way, from [`hashing`] at the base up to the commands (`tests/layers.rs` checks it).

#![warn(missing_docs)]

pub mod actors;
pub mod cli;
pub mod commands;
pub mod config;
pub mod corpus;
pub mod count;
pub mod frames;
pub mod hashing;
pub mod kwic;
pub mod parts;
pub mod pipeline;
pub mod report;
pub mod tokenize;
