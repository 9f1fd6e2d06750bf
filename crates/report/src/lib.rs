//! The periodic report of a committee as PDF, laid out by typst (Arabic shaped, right-to-left).
