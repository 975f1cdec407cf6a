//! App tests
