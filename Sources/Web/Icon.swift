/// Icons from the SVG sprite in `Public/icons.svg`, the one source shared with the browser code.
enum Icon: String {
    case plus, sidebar, send, stop, sparkles, globe, paperclip
    case chevronDown = "chevron-down"

    /// An inline `<svg>` that uses the sprite symbol; decorative, so hidden from assistive technology.
    var html: HTML {
        "<svg class=\"icon\" aria-hidden=\"true\" focusable=\"false\"><use href=\"\(Assets.icons)#i-\(self.rawValue)\"></use></svg>"
    }
}
