//! What `KeyedList` relies on in Leptos' renderer (`components::Mounted`) and the
//! list's own promises. A Leptos upgrade that changes how a view is built, where
//! its element is, or how it unmounts fails here first.

use super::{document, until};
use leptos::prelude::*;
use presence_widget::components::{KeyedList, Mounted};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn a_built_item_is_its_element_detached_until_placed_and_unmounts_cleanly() {
    let owner = Owner::new_root(None);
    owner.with(|| {
        let view = view! { class = "pw", <li class="item" data-key="7">"Anna"</li> }.into_any();
        let mut item = Mounted::build(view).expect("an element");
        assert_eq!(item.element.tag_name(), "LI");
        assert_eq!(item.element.get_attribute("data-key").as_deref(), Some("7"));
        assert_eq!(item.element.text_content().as_deref(), Some("Anna"));
        assert!(item.element.parent_node().is_none(), "built detached");
        let list = document().create_element("ul").expect("ul");
        list.append_child(&item.element).expect("placed");
        item.unmount();
        assert!(
            item.element.parent_node().is_none(),
            "unmounted from its list"
        );
        assert_eq!(list.child_element_count(), 0);
        assert!(Mounted::build("just text".into_any()).is_none());
    });
    owner.cleanup();
}

#[wasm_bindgen_test]
async fn items_keep_their_elements_move_only_as_needed_and_release_their_owners() {
    let host = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&host)
        .expect("host");
    let keys = RwSignal::new(vec![1u32, 2, 3]);
    let released = RwSignal::new(Vec::<u32>::new());
    let alive = RwSignal::new(true);
    let mount = leptos::mount::mount_to(host.clone().unchecked_into(), move || {
        let list = NodeRef::<leptos::html::Ul>::new();
        let keys = Memo::new(move |_| keys.get());
        let render = move |key: u32| {
            on_cleanup(move || released.update(|r| r.push(key)));
            view! { class = "pw", <li data-key=key.to_string()>{key}</li> }.into_any()
        };
        view! { class = "pw",
            <ul node_ref=list>
                <KeyedList keys container=list render alive=move |_| alive.get_untracked()/>
            </ul>
        }
    });
    let order = || -> Vec<String> {
        let items = host.query_selector_all("li").expect("items");
        (0..items.length())
            .filter_map(|i| items.item(i))
            .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
            .filter_map(|e| e.get_attribute("data-key"))
            .collect()
    };
    until("three items", || order() == ["1", "2", "3"]).await;
    let first = host.query_selector("li").ok().flatten().expect("first");
    keys.set(vec![2, 3, 1]);
    until("1 moved last", || order() == ["2", "3", "1"]).await;
    let moved = host.query_selector("li[data-key='1']").ok().flatten();
    assert_eq!(moved.as_ref(), Some(&first), "the same element, moved");
    // Gone for good: its owner is released; still alive: only detached.
    alive.set(false);
    keys.set(vec![3, 1]);
    until("2 left", || order() == ["3", "1"]).await;
    assert_eq!(released.get_untracked(), [2]);
    drop(mount);
    until("every item's owner released with the list", || {
        released.with_untracked(|r| r.len() == 3)
    })
    .await;
    host.remove();
}
