'use strict';
// Django's admin/js/autocomplete.js (5.2), with one change: the words typed are posted
// (with the page's CSRF token), so a name or an address never enters a URL or an access log.
// personvern.workplace comes before django.contrib.admin, so this file is served instead.
{
    const $ = django.jQuery;

    function csrfToken(element) {
        const field = (element.form || document).querySelector('[name=csrfmiddlewaretoken]');
        return field ? field.value : '';
    }

    $.fn.djangoAdminSelect2 = function() {
        $.each(this, function(i, element) {
            // The widget says data-ajax--type="GET", which select2 prefers to its options.
            element.setAttribute('data-ajax--type', 'POST');
            $(element).select2({
                ajax: {
                    type: 'POST',
                    headers: {'X-CSRFToken': csrfToken(element)},
                    data: (params) => {
                        return {
                            term: params.term,
                            page: params.page,
                            app_label: element.dataset.appLabel,
                            model_name: element.dataset.modelName,
                            field_name: element.dataset.fieldName
                        };
                    }
                }
            });
        });
        return this;
    };

    $(function() {
        // Initialize all autocomplete widgets except the one in the template
        // form used when a new formset is added.
        $('.admin-autocomplete').not('[name*=__prefix__]').djangoAdminSelect2();
    });

    document.addEventListener('formset:added', (event) => {
        $(event.target).find('.admin-autocomplete').djangoAdminSelect2();
    });
}
