from tests.factories import PASSWORD, UserFactory


def test_the_login_page_needs_no_login(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'for="id_username"' in response.content.decode()


def test_every_other_page_sends_anonymous_users_to_sign_in(client, db):
    for url in ["/", "/contacts/", "/activities/", "/outcomes/", "/contacts/1/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/?next="), url


def test_signing_in_lands_on_the_dashboard(client, db):
    UserFactory(username="priya")
    response = client.post(
        "/accounts/login/", {"username": "priya", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.context["user"].username == "priya"


def test_a_wrong_password_is_refused_with_a_message(client, db):
    UserFactory(username="priya")
    response = client.post("/accounts/login/", {"username": "priya", "password": "wrong"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_out_needs_post(client, db):
    user = UserFactory(username="priya")
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_deactivated_user_cannot_sign_in(client, db):
    UserFactory(username="gone", is_active=False)
    client.post("/accounts/login/", {"username": "gone", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
