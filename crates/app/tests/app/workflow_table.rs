//! The workflow's transition table, exhaustively, through the app and the store on both databases: every state
//! (including the level and rating variants that decide legality) × every action. What the store keeps must be
//! exactly what the pure `workflow::apply` says; a refused step must change nothing (status, level, rating,
//! version, timeline length).

use chengguan_app::petitions::{PetitionView, Step};
use chengguan_app::App;
use chengguan_core::petitions::workflow::{apply, Action, Level, Stage, Status};

use crate::petitions::call_in;
use crate::support::{backends, demo, sign_in};

/// The states to start from, each with the steps that reach it.
fn states() -> Vec<(&'static str, Vec<Step>)> {
    let assign = |level: &str| Step::Assign {
        level: level.into(),
        assignee: "解放街社区".into(),
    };
    let accept = Step::Accept { category: None };
    vec![
        ("received", vec![]),
        ("accepted", vec![accept.clone()]),
        ("in_progress@grid", vec![accept.clone(), assign("grid")]),
        ("in_progress@county", vec![accept.clone(), assign("county")]),
        (
            "resolved",
            vec![accept.clone(), assign("grid"), Step::Resolve],
        ),
        (
            "rated_good",
            vec![
                accept.clone(),
                assign("grid"),
                Step::Resolve,
                Step::Rate {
                    stars: 5,
                    comment: None,
                },
            ],
        ),
        (
            "rated_poor",
            vec![
                accept.clone(),
                assign("grid"),
                Step::Resolve,
                Step::Rate {
                    stars: 1,
                    comment: Some("没人来".into()),
                },
            ],
        ),
        (
            "rejected",
            vec![Step::Reject {
                reason: "不属于受理范围".into(),
            }],
        ),
        (
            "merged",
            vec![Step::Merge {
                into: String::new(),
            }],
        ),
    ]
}

/// Every action, with the variants whose arguments matter.
fn actions() -> Vec<Step> {
    vec![
        Step::Accept { category: None },
        Step::Reject {
            reason: "重复反映".into(),
        },
        Step::Assign {
            level: "community".into(),
            assignee: "社区".into(),
        },
        Step::Transfer {
            assignee: "另一承办单位".into(),
        },
        Step::Escalate,
        Step::Resolve,
        Step::Rate {
            stars: 4,
            comment: None,
        },
        Step::Reopen,
        Step::Merge {
            into: String::new(),
        },
    ]
}

fn action_of(step: &Step) -> Action {
    match step {
        Step::Accept { .. } => Action::Accept,
        Step::Reject { reason } => Action::Reject {
            reason: reason.clone(),
        },
        Step::Assign { level, .. } => Action::Assign {
            level: Level::from_code(level).unwrap(),
        },
        Step::Transfer { .. } => Action::Transfer,
        Step::Escalate => Action::Escalate,
        Step::Resolve => Action::Resolve,
        Step::Rate { stars, .. } => Action::Rate { stars: *stars },
        Step::Reopen => Action::Reopen,
        Step::Merge { .. } => Action::Merge,
    }
}

fn stage_of(v: &PetitionView) -> Stage {
    Stage {
        status: Status::from_code(&v.status).unwrap(),
        level: v.level.as_deref().map(|l| Level::from_code(l).unwrap()),
        rating: v.rating,
    }
}

/// Merges point at `target`.
fn aimed(step: &Step, target: &str) -> Step {
    match step {
        Step::Merge { .. } => Step::Merge {
            into: target.into(),
        },
        other => other.clone(),
    }
}

async fn step(
    app: &App,
    s: &chengguan_app::access::Session,
    p: &PetitionView,
    st: &Step,
) -> chengguan_app::Result<PetitionView> {
    app.act_on_petition(s, &p.id, p.version, st, "表驱动测试")
        .await
}

#[tokio::test]
async fn every_state_and_action_matches_the_pure_table() {
    for b in backends().await {
        let app = demo(&b).await;
        let duty = sign_in(&app, "duty").await;
        let new = call_in(&app, "CG-03-01").await;
        let target = app
            .create_petition(&duty, &new)
            .await
            .expect("merge target");
        let mut legal = 0;
        let mut refused = 0;
        for (name, path) in states() {
            for action in actions() {
                let mut p = app.create_petition(&duty, &new).await.expect("create");
                for s in &path {
                    p = step(&app, &duty, &p, &aimed(s, &target.number))
                        .await
                        .unwrap_or_else(|e| panic!("{}: reaching {name}: {e}", b.name));
                }
                let before_stage = stage_of(&p);
                let before_events = app.petition_timeline(&duty, &p.id).await.unwrap().len();
                let expected = apply(&before_stage, &action_of(&action));
                let got = step(&app, &duty, &p, &aimed(&action, &target.number)).await;
                let now = app.find_petition(&duty, &p.number).await.expect("reread");
                let events = app.petition_timeline(&duty, &p.id).await.unwrap().len();
                match (expected, got) {
                    (Ok(stage), Ok(after)) => {
                        legal += 1;
                        assert_eq!(stage_of(&after), stage, "{}: {name} + {action:?}", b.name);
                        assert_eq!(
                            stage_of(&now),
                            stage,
                            "{}: {name} + {action:?} stored",
                            b.name
                        );
                        assert_eq!(
                            now.version,
                            p.version + 1,
                            "{}: {name} + {action:?}",
                            b.name
                        );
                        assert_eq!(events, before_events + 1, "{}: one timeline entry", b.name);
                    }
                    (Err(_), Err(e)) => {
                        refused += 1;
                        assert_eq!(
                            e.code(),
                            "petition.illegal_step",
                            "{}: {name} + {action:?}: {e}",
                            b.name
                        );
                        assert_eq!(
                            stage_of(&now),
                            before_stage,
                            "{}: {name} + {action:?} changed",
                            b.name
                        );
                        assert_eq!(now.version, p.version, "{}: {name} + {action:?}", b.name);
                        assert_eq!(events, before_events, "{}: nothing in the timeline", b.name);
                    }
                    (expected, got) => panic!(
                        "{}: {name} + {action:?}: the table says {expected:?}, the app did {:?}",
                        b.name,
                        got.map(|v| v.status)
                    ),
                }
            }
        }
        assert_eq!(legal + refused, 81, "{}", b.name);
        assert!(
            legal >= 15 && refused >= 40,
            "{}: {legal} legal, {refused} refused",
            b.name
        );
    }
}
