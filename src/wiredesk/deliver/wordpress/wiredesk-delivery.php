<?php
/**
 * Plugin Name: wiredesk delivery
 * Description: Lets wiredesk find its posts again (post meta over the REST API), shows the agency's text and headline exactly as sent, and the agency's byline as the author.
 * Version: 1.0
 *
 * Install as a must-use plugin: copy this file into wp-content/mu-plugins/.
 */

if (!defined('ABSPATH')) {
    exit;
}

// The story's uri, version and last delivery key, readable and writable over the REST API by
// users who can edit posts, so a re-sent delivery finds its post instead of making a second.
add_action('init', function () {
    foreach (array('wiredesk_uri', 'wiredesk_version', 'wiredesk_key', 'wiredesk_byline') as $key) {
        register_post_meta('post', $key, array(
            'type' => 'string',
            'single' => true,
            'show_in_rest' => true,
            'auth_callback' => function () {
                return current_user_can('edit_posts');
            },
        ));
    }
});

// GET /wp-json/wp/v2/posts?wiredesk_uri=... finds a story's post by its uri.
add_filter('rest_post_query', function ($args, $request) {
    $uri = $request->get_param('wiredesk_uri');
    if (is_string($uri) && $uri !== '') {
        $args['meta_query'] = array(array('key' => 'wiredesk_uri', 'value' => $uri));
    }
    return $args;
}, 10, 2);

// Verbatim: WordPress's display filters would curl quotes, turn -- into dashes, ":)" into
// pictures, "Wordpress" into "WordPress" and run [shortcodes] found in agency copy. None of
// them runs on a wiredesk post; every other post keeps them.
function wiredesk_display_filters($post) {
    static $filters = array(
        array('the_content', 'wptexturize', 10),
        array('the_content', 'convert_smilies', 20),
        array('the_content', 'wpautop', 10),
        array('the_content', 'shortcode_unautop', 10),
        array('the_content', 'do_shortcode', 11),
        array('the_content', 'capital_P_dangit', 11),
        array('the_content', 'convert_chars', 10),
        array('the_title', 'wptexturize', 10),
        array('the_title', 'convert_chars', 10),
        array('the_title', 'capital_P_dangit', 11),
        array('the_excerpt', 'wptexturize', 10),
        array('the_excerpt', 'convert_smilies', 10),
        array('the_excerpt', 'convert_chars', 10),
        array('the_excerpt', 'capital_P_dangit', 11),
    );
    $ours = $post instanceof WP_Post && get_post_meta($post->ID, 'wiredesk_uri', true) !== '';
    foreach ($filters as $f) {
        if ($ours) {
            remove_filter($f[0], $f[1], $f[2]);
        } elseif (has_filter($f[0], $f[1]) === false) {
            add_filter($f[0], $f[1], $f[2]);
        }
    }
}
add_action('the_post', 'wiredesk_display_filters');

// The document <title>: WordPress texturizes it (curly quotes, dashes) and corrects
// "Wordpress" outside any filter the_post can remove, so on a wiredesk post's own page the
// title is built here from the headline as sent, escaped and nothing else.
add_filter('pre_get_document_title', function ($title) {
    if (!is_singular()) {
        return $title;
    }
    $post = get_queried_object();
    if (!($post instanceof WP_Post) || get_post_meta($post->ID, 'wiredesk_uri', true) === '') {
        return $title;
    }
    $site = get_bloginfo('name', 'display');
    $sep = apply_filters('document_title_separator', '-');
    return esc_html($post->post_title) . ($site !== '' ? ' ' . esc_html($sep) . ' ' . $site : '');
});

// The byline as the author's name: wiredesk stores it in wiredesk_byline when the agency is
// not mapped to a WordPress user of its own (the target's `authors` option).
add_filter('the_author', function ($name) {
    $post = get_post();
    if (!($post instanceof WP_Post)) {
        return $name;
    }
    $byline = get_post_meta($post->ID, 'wiredesk_byline', true);
    return is_string($byline) && $byline !== '' ? $byline : $name;
});
