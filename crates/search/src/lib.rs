//! Full-text search over the committee's record, with Arabic, French and English folding.
